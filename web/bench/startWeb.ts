// The built web server (build/index.js), as the benchmarks start it: on a free port, against an indexer.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/**
 * Starts the server with `env` added to the indexer's URL and chain id, and waits (polling every
 * `pollMs`, at most `polls` times) until `isReady(url)` says it is ready for what the benchmark measures.
 */
export async function startWeb(options: {
  indexerUrl: string;
  env: Record<string, string>;
  isReady: (url: string) => Promise<boolean>;
  polls: number;
  pollMs: number;
}): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(webDir, 'build/index.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: url,
      CHARTER_INDEXER_URL: options.indexerUrl,
      CHARTER_CHAIN_ID: '31337',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < options.polls; i++) {
    if (await options.isReady(url)) break;
    await new Promise((ok) => setTimeout(ok, options.pollMs));
  }
  return { url, child };
}
