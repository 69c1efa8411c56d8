import wabt from 'wabt';

/**
 * The random walk's WebAssembly kernel: its text source and the TypeScript
 * module that ships it compiled (base64), written by `npm run wasm:build`
 * (scripts/build_wasm.ts) and checked by scripts/wasm_kernel_test.ts.
 */

export const KERNEL_SOURCE = 'src/wasm/walk_kernel.wat';
export const KERNEL_MODULE = 'src/wasm/walk_kernel_binary.ts';

const LINE = 96;

/** Compiles .wat text (SIMD on) to a validated wasm binary. */
export async function compileWat(name: string, text: string): Promise<Uint8Array> {
  const module = (await wabt()).parseWat(name, text, { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** The generated module's text for the kernel source `text`. */
export async function kernelModuleText(text: string): Promise<string> {
  const base64 = Buffer.from(await compileWat(KERNEL_SOURCE, text)).toString('base64');
  const lines = [];
  for (let i = 0; i < base64.length; i += LINE) lines.push(`  '${base64.slice(i, i + LINE)}',`);
  return [
    `// Generated from ${KERNEL_SOURCE} by \`npm run wasm:build\` (scripts/build_wasm.ts, wabt): do not edit.`,
    '',
    '/** The random walk kernel (walk_kernel.wat) as a wasm binary, base64. */',
    'export const WALK_KERNEL_BASE64 = [',
    ...lines,
    "].join('');",
    '',
  ].join('\n');
}
