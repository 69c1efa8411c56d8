import { build, preview } from 'vite';

export interface BuiltApp {
  /** e.g. 'http://127.0.0.1:4310', without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the app and serves dist/ with `vite preview` on 127.0.0.1 (the next
 * free port from `port`). `beforeServe` runs between the two: preview's static
 * server lists dist/ once, so files added later would not be served.
 */
export async function serveBuiltApp({ port, beforeServe }: { port: number; beforeServe?: () => void }): Promise<BuiltApp> {
  await build({ logLevel: 'warn' });
  beforeServe?.();
  const server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('vite preview did not report a URL');
  }
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}
