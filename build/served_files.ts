import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { packageFilePath } from '../src/io/node_package_path.ts';

/**
 * Files the app fetches at run time that live outside public/: tfjs' wasm
 * binaries and backbone weights from installed npm packages (the latter's
 * licence keeps them out of git), and our own weights in models/. Served in
 * dev and copied into the build, so no request leaves the page's own origin.
 */
export interface ServedFile {
  /** URL path, e.g. '/vendor/tfjs-wasm/tfjs-backend-wasm.wasm'. */
  url: string;
  /** Absolute path on disk. */
  path: string;
}

/** A file inside an installed npm package. */
export function packageFile(url: string, pkg: string, file: string): ServedFile {
  return { url, path: packageFilePath(pkg, file) };
}

/** Every file under `dir`, served below `urlPrefix` (markdown notes excluded). */
export function directoryFiles(urlPrefix: string, dir: string): ServedFile[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return names
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && !path.endsWith('.md'))
    .map((path) => ({ url: `${urlPrefix}${relative(dir, path).split('\\').join('/')}`, path }));
}

const CONTENT_TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
};

export function servedFiles(files: () => ServedFile[]): Plugin {
  const lookup = () => new Map(files().map((f) => [f.url, f.path]));
  return {
    name: 'affinitylab-served-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        // Listed per request so weights retrained while the server runs are picked up.
        const path = lookup().get((req.url ?? '').split('?')[0]);
        if (!path) return next();
        res.setHeader('Content-Type', CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream');
        res.setHeader('Content-Length', statSync(path).size);
        createReadStream(path).pipe(res);
      });
    },
    generateBundle() {
      for (const [url, path] of lookup()) this.emitFile({ type: 'asset', fileName: url.slice(1), source: readFileSync(path) });
    },
  };
}
