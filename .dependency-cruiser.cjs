// Import rules for `npm run lint` (dependency-cruiser). The layers, upper ones
// importing lower ones only:
//
//   src/ui → src/state → src/models → src/gpu → src/core (src/models may also use src/wasm)
//   src/io sits below models (models, state and ui may use it; it uses core only)
//   src/wasm (the random walk's WebAssembly kernel and its loader) uses core only
//   src/workers (the random-walk worker, its protocol and the page's client) uses core and
//     wasm only; state and ui may use it. The pipeline worker (workers/pipeline_*) holds the networks, so it
//     may also use models, io and gpu
//   src/main.tsx, the browser entry, wires the layers together
//
// cli/, scripts/, bench/, training/, build/, e2e/ and bin/ run in Node: they may use
// src but not its browser-only state or UI. Node-only code inside src is named
// node_*.ts; the browser bundle must never reach a Node builtin.
const { builtinModules } = require('node:module');

const TEST = '(_test\\.ts|\\.e2e\\.ts)$';
/** Test helpers (fake model sets written to disk): tests and Node-side code only. */
const TESTING = '^src/.*/testing/';
/** Node-only modules in src: named node_*.ts. */
const NODE_ONLY = '^src/.*/node_[^/]+\\.ts$';
const NODE_BUILTIN = `^(node:)?(${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`;
/** Where the browser bundle starts: the page and the two workers (started with new URL(), which is not followed). */
const BROWSER_ENTRIES = '^src/(main\\.tsx|workers/(walk|pipeline)_worker\\.ts)$';
/** The pipeline worker, its protocol and its client: the worker's side of models and gpu. */
const PIPELINE_WORKER = '^src/workers/pipeline_';

/** A layer that may import only the listed src folders (and packages); `except` files follow a rule of their own. */
function layer(name, allowed, except) {
  return {
    name: `${name}-layer`,
    severity: 'error',
    comment: `src/${name} may import only ${allowed.map((a) => `src/${a}`).join(', ')} from src.`,
    from: except ? { path: `^src/${name}/`, pathNot: except } : { path: `^src/${name}/` },
    to: { path: '^src/', pathNot: `^src/(${allowed.join('|')})/` },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    layer('core', ['core']),
    layer('gpu', ['gpu', 'core']),
    layer('io', ['io', 'core']),
    layer('wasm', ['wasm', 'core']),
    layer('workers', ['workers', 'wasm', 'core'], PIPELINE_WORKER),
    {
      name: 'pipeline-worker-layer',
      severity: 'error',
      comment: 'The pipeline worker, its protocol and client may import only src/workers, src/models, src/io, src/gpu and src/core from src.',
      from: { path: PIPELINE_WORKER },
      to: { path: '^src/', pathNot: '^src/(workers|models|io|gpu|core)/' },
    },
    {
      name: 'walk-worker-apart-from-pipeline',
      severity: 'error',
      comment: 'The walk worker and its client stay plain computation: they may not import the pipeline worker side (and through it tfjs).',
      from: { path: '^src/workers/', pathNot: PIPELINE_WORKER },
      to: { path: PIPELINE_WORKER },
    },
    layer('models', ['models', 'io', 'gpu', 'wasm', 'core']),
    layer('state', ['state', 'models', 'workers', 'io', 'gpu', 'core']),
    layer('ui', ['ui', 'state', 'models', 'workers', 'io', 'gpu', 'core']),
    {
      name: 'core-is-self-contained',
      severity: 'error',
      comment: 'src/core is plain computation: no packages (tfjs, react), no Node builtins, nothing outside src/core. Its tests may use vitest.',
      from: { path: '^src/core/', pathNot: TEST },
      to: { pathNot: '^src/core/' },
    },
    {
      name: 'src-not-node-side',
      severity: 'error',
      comment: 'src never imports the command line, scripts, benchmarks, training, build, e2e or bin code.',
      from: { path: '^src/' },
      to: { path: '^(cli|scripts|bench|training|build|e2e|bin)/' },
    },
    {
      name: 'node-side-not-browser-state',
      severity: 'error',
      comment: 'Node-side code may use src, but not the browser store (src/state) or the UI (src/ui).',
      from: { path: '^(cli|scripts|bench|training|build|e2e|bin)/' },
      to: { path: '^src/(state|ui)/' },
    },
    {
      name: 'node-builtins-in-node-files',
      severity: 'error',
      comment: 'In src only node_*.ts files, tests and test helpers may import Node builtins (node:fs, …).',
      from: { path: '^src/', pathNot: [NODE_ONLY, TEST, TESTING] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'node-only-modules-stay-node-side',
      severity: 'error',
      comment: 'Node-only modules (node_*.ts) may be imported only by other Node-only modules, tests and the Node-side folders (cli, scripts, bench, training, build, e2e, bin).',
      from: { path: '^src/', pathNot: [NODE_ONLY, TEST, TESTING] },
      to: { path: NODE_ONLY },
    },
    {
      name: 'testing-helpers-only-in-tests',
      severity: 'error',
      comment: 'src/**/testing/ holds test helpers (they write to disk): only tests and Node-side code may import them.',
      from: { path: '^src/', pathNot: [TEST, TESTING] },
      to: { path: TESTING },
    },
    {
      name: 'browser-bundle-node-free',
      severity: 'error',
      comment: 'Nothing the page or a worker loads may reach a Node builtin, however indirectly.',
      from: { path: BROWSER_ENTRIES },
      to: { path: NODE_BUILTIN, reachable: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, apart from type-only imports (the store and its slices share the LabState type).',
      from: { path: '^(src|cli|scripts|bench|training|build|e2e)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-deps-in-src',
      severity: 'error',
      comment: 'src (tests and test helpers aside) may use only runtime dependencies, not devDependencies.',
      from: { path: '^src/', pathNot: [TEST, TESTING] },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
