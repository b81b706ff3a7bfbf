import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { freePort, type Anvil } from './anvil';

const configFile = join(import.meta.dirname, '..', 'hardhat.config.cjs');

// Hardhat's node, from npm: a second node implementation to run Charter against, so nothing depends on
// anvil-only behaviour. Its default accounts come from the same mnemonic as anvil's.

export interface HardhatNodeOptions {
  chainId?: number;
  /** Milliseconds between blocks with automine off; automine (a block per transaction) when unset. */
  blockIntervalMs?: number;
}

export class HardhatStartError extends Error {
  override name = 'HardhatStartError';
}

/** Starts `hardhat node` on loopback and resolves once it answers JSON-RPC. */
export async function startHardhatNode(options: HardhatNodeOptions = {}): Promise<Anvil> {
  const scratch = mkdtempSync(join(tmpdir(), 'charter-hardhat-'));
  const cli = createRequire(import.meta.url).resolve('hardhat/internal/cli/bootstrap');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [cli, '--config', configFile, 'node', '--hostname', '127.0.0.1', '--port', String(port)],
    {
      cwd: dirname(configFile),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CHARTER_HARDHAT_DIR: scratch,
        CHARTER_HARDHAT_CHAIN_ID: String(options.chainId ?? 31337),
        CHARTER_HARDHAT_BLOCK_INTERVAL_MS: String(options.blockIntervalMs ?? 0),
        HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
      },
    },
  );
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  };
  await new Promise<void>((ready, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new HardhatStartError(
          `hardhat node did not start within 30 s: ${output.trim().slice(-500)}`,
        ),
      );
    }, 30_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (/Started HTTP and WebSocket JSON-RPC server/.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', read);
        child.stdout?.resume(); // keep draining: it logs every request
        ready();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new HardhatStartError(`hardhat node exited with ${code}: ${output.trim().slice(-500)}`),
      );
    });
  });
  return { rpcUrl: `http://127.0.0.1:${port}`, port, process: child, stop };
}
