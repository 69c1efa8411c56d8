/**
 * Node-only: finds files inside installed packages (wasm binaries, bundled
 * models). Imports node:fs and node:module, so browser-bundled modules must
 * never import this file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Absolute path of a file inside an installed package, found from the package's
 * resolved entry point so that packages whose `exports` hide the file still work.
 */
export function packageFilePath(packageName: string, relativePath: string): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    // Node's own message spans lines and lists every module that required it.
    throw new Error(`npm package ${packageName} is not installed (npm ci installs it), so ${relativePath} cannot be read from it`);
  }
  let dir = path.dirname(entry);
  while (!isPackageRoot(dir, packageName)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package root of ${packageName} not found`);
    dir = parent;
  }
  return path.join(dir, relativePath);
}

function isPackageRoot(dir: string, packageName: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
    return pkg.name === packageName;
  } catch {
    return false;
  }
}
