import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_MODULE, KERNEL_SOURCE, kernelModuleText } from './wasm_kernel';

const ROOT = path.join(__dirname, '..');
const source = readFileSync(path.join(ROOT, KERNEL_SOURCE), 'utf8');

describe('the random walk kernel module (npm run wasm:build)', () => {
  it('is what the committed .wat compiles to', async () => {
    expect(await kernelModuleText(source)).toBe(readFileSync(path.join(ROOT, KERNEL_MODULE), 'utf8'));
  });

  it('changes when the .wat does', async () => {
    const changed = source.replace('(i32.const 6)', '(i32.const 7)');
    expect(changed).not.toBe(source);
    expect(await kernelModuleText(changed)).not.toBe(await kernelModuleText(source));
  });

  it('fails on a .wat that does not validate', async () => {
    await expect(kernelModuleText(source.replace('(f32x4.add', '(i32.add'))).rejects.toThrow();
  });
});
