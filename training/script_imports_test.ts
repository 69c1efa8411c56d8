import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Code shared between training scripts lives in training/tools (and
 * training/networks): a script never imports another script, so each stage
 * stays one file that can be read and run on its own. Only the orchestrator
 * and the smoke tests, which run the stages, import them.
 */
const TRAINING = __dirname;
const MAY_IMPORT_SCRIPTS = new Set(['run_pipeline.py', 'smoke_test.py', 'backbone_smoke_test.py']);

/** Top-level module names a Python source imports (relative imports aside). */
function importedModules(source: string): string[] {
  const modules: string[] = [];
  for (const match of source.matchAll(/^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w., \t]+))/gm)) {
    const names = match[1] !== undefined ? [match[1]] : match[2].split(',').map((part) => part.trim().split(/\s+/)[0]);
    modules.push(...names.filter((name) => name && !name.startsWith('.')).map((name) => name.split('.')[0]));
  }
  return modules;
}

const pythonFiles = (folder: string) =>
  readdirSync(path.join(TRAINING, folder)).filter((file) => file.endsWith('.py')).map((file) => path.join(folder, file));

describe('training script imports', () => {
  it('finds plain, dotted, aliased and from-imports, and skips relative ones', () => {
    const source = 'import os, sys\nimport train_aff as ta  # noqa\nfrom tools.maps import upsample\n    from infer_rw import walk_labels\nfrom .config import ROOT\n';
    expect(importedModules(source)).toEqual(['os', 'sys', 'train_aff', 'tools', 'infer_rw']);
  });

  it('scripts import tools and networks, never another script (orchestrator and smoke tests aside)', () => {
    const scripts = new Set(pythonFiles('.').map((file) => path.basename(file, '.py')));
    const importers = [...pythonFiles('.'), ...pythonFiles('tools'), ...pythonFiles('networks')]
      .filter((file) => !MAY_IMPORT_SCRIPTS.has(file));
    const offences = importers.flatMap((file) =>
      importedModules(readFileSync(path.join(TRAINING, file), 'utf8'))
        .filter((module) => scripts.has(module))
        .map((module) => `${file} imports ${module}`));
    expect(scripts.has('train_aff') && importers.length > 20).toBe(true);
    expect(offences).toEqual([]);
  });
});
