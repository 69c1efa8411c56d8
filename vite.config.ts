import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { contentSecurityPolicy } from './build/content_security_policy.ts';
import { directoryFiles, packageFile, servedFiles } from './build/served_files.ts';

/** Cross-origin isolation lets tfjs' wasm backend use threads (SharedArrayBuffer). */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

export default defineConfig({
  plugins: [
    react(),
    contentSecurityPolicy(),
    servedFiles(() => [
      ...WASM_FILES.map((f) => packageFile(`/vendor/tfjs-wasm/${f}`, '@tensorflow/tfjs-backend-wasm', `dist/${f}`)),
      packageFile('/vendor/human/centernet.json', '@vladmandic/human', 'models/centernet.json'),
      packageFile('/vendor/human/centernet.bin', '@vladmandic/human', 'models/centernet.bin'),
      ...directoryFiles('/models/', fileURLToPath(new URL('./models', import.meta.url))),
    ]),
  ],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: { chunkSizeWarningLimit: 4096 },
  // The worker bundle keeps tfjs' licence header of every file (a megabyte of comments) unless told otherwise, as the page's bundle does.
  worker: { rolldownOptions: { output: { comments: { legal: false } } } },
});
