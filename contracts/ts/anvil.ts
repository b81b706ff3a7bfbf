import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

import { devAccountNames } from './devAccounts';

/** Path of the anvil binary that @foundry-rs/anvil installed for this platform. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}/package.json`;
  return join(dirname(createRequire(import.meta.url).resolve(pkg)), 'bin', 'anvil');
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

export interface AnvilOptions {
  port?: number;
  /** Keeps the chain in this file between runs (anvil --state). */
  stateFile?: string;
  /** Seconds between blocks; mines on every transaction when unset. */
  blockTime?: number;
  args?: string[];
}

export interface Anvil {
  rpcUrl: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class AnvilStartError extends Error {
  override name = 'AnvilStartError';
}

/**
 * Starts anvil and resolves once it answers JSON-RPC. Without a port, anvil binds port 0 and reports the
 * port the system gave it: choosing a free port first and binding it later would race with other processes
 * starting their own anvil, and the readiness check could then reach someone else's chain.
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const args = ['--port', String(options.port ?? 0), '--host', '127.0.0.1'];
  // One funded account per dev account name (anvil funds 10 by default); the same mnemonic, so keys match.
  if (!options.args?.includes('--accounts'))
    args.push('--accounts', String(devAccountNames.length));
  if (options.stateFile) args.push('--state', options.stateFile);
  if (options.blockTime) args.push('--block-time', String(options.blockTime));
  args.push(...(options.args ?? []));

  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  };

  // anvil logs every request to stdout: read the banner for the port, then keep draining the pipe.
  const port = await new Promise<number>((resolvePort, reject) => {
    let banner = '';
    let found = false;
    const timer = setTimeout(
      () => reject(new AnvilStartError(`anvil did not start within 10 s: ${stderr.trim()}`)),
      10_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (found) return;
      banner += chunk;
      const match = /Listening on [\d.]+:(\d+)/.exec(banner);
      if (match) {
        clearTimeout(timer);
        found = true;
        resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new AnvilStartError(`anvil exited with code ${code}: ${stderr.trim()}`));
    });
  }).catch(async (error: Error) => {
    await stop();
    throw error;
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return { rpcUrl, port, process: child, stop };
    } catch {
      // listening, not answering yet
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  await stop();
  throw new AnvilStartError(`anvil did not answer on ${rpcUrl} within 10 s: ${stderr.trim()}`);
}
