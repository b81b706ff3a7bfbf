// Runs a README command as a person would type it at the repository root: through bash, in a fresh
// environment (no npm_* variables or INIT_CWD inherited from the `npm test` running this), and for a
// long-running command in its own process group, stopped the way Ctrl-C stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

import { ROOT } from '../../stack/src/config';

/** The test's environment as a terminal would have it, plus `extra`. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_ENV') env[key] = value;
  }
  return { ...env, ...extra };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

export interface Running {
  readonly child: ChildProcess;
  /** What it has printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects if it exits or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves when it exits. */
  readonly exited: Promise<Finished>;
  /** Ctrl-C: SIGINT to its process group, then SIGKILL to the group after `graceMs`. */
  stop(graceMs?: number): Promise<Finished>;
}

const log = (line: string) => process.stderr.write(`[readme] ${line}\n`);
const since = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

/** Starts `command` with bash at the repository root. */
export function start(
  command: string,
  env: Record<string, string> = {},
  { quiet = false } = {},
): Running {
  const began = Date.now();
  if (!quiet) log(`$ ${command}`);
  const child = spawn('bash', ['-c', command], {
    cwd: ROOT,
    env: userEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  // Tools colour their output when CI is set (picocolors, for one) even without a terminal: what the tests
  // read is the text, without its escape sequences.
  const text = (chunk: Buffer) => stripVTControlCharacters(chunk.toString());
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += text(chunk);
    output += text(chunk);
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += text(chunk);
    output += text(chunk);
    for (const listener of listeners) listener();
  });
  const exited = new Promise<Finished>((ok) =>
    child.on('close', (code, signal) => {
      if (!quiet) log(`exit ${code ?? signal} after ${since(began)}: ${command}`);
      ok({ code, signal, stdout, stderr, output });
      for (const listener of listeners) listener();
    }),
  );
  let done = false;
  void exited.then(() => (done = true));

  const tail = () => output.slice(-4000);
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          fail(new Error(`no ${pattern} within ${timeoutMs / 1000} s from ${command}:\n${tail()}`));
        }, timeoutMs);
        const check = () => {
          const match = output.match(pattern);
          if (match || done) {
            clearTimeout(timer);
            listeners.delete(check);
            if (match) {
              log(`${pattern} after ${since(began)}`);
              ok(match);
            } else fail(new Error(`${command} exited before printing ${pattern}:\n${tail()}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 30_000) {
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // already gone
        }
      };
      if (!done) signal('SIGINT');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      const finished = await exited;
      clearTimeout(timer);
      signal('SIGKILL'); // anything of the group left behind
      return finished;
    },
  };
}

/** Runs `command` to its end (killed after `timeoutMs`); `quiet` leaves it out of the log (polls). */
export async function run(
  command: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
  { quiet = false } = {},
): Promise<Finished> {
  const running = start(command, env, { quiet });
  const timer = setTimeout(() => void running.stop(1_000), timeoutMs);
  const finished = await running.exited;
  clearTimeout(timer);
  return finished;
}
