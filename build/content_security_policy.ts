import type { Plugin } from 'vite';

/**
 * The built app's Content-Security-Policy: nothing from another origin, no
 * eval. tfjs' wasm backend needs 'wasm-unsafe-eval' to compile its binaries
 * (its threaded build, which would also need blob: workers, is switched off
 * in src/gpu/backend.ts). A user's image is opened through a blob: URL, made
 * by the page itself. Only in the build: the dev server injects inline
 * scripts (React refresh) that this would block.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Puts the policy into index.html as a meta tag, so any static host serves it. */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'affinitylab-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}
