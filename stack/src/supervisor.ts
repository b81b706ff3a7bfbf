import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { constants, getPriority, setPriority } from 'node:os';

/** A long-running part of the stack, started as a child process. */
export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** A task that finishes (the demo's dishonest evaluator): exiting with 0 is its success, not a failure. */
  once?: boolean;
  /**
   * Work nobody waits on (the demo's evaluators): run at a lower priority, so that on a small machine
   * the services a person is waiting for start first.
   */
  background?: boolean;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly service: string,
  ) {
    super(
      `port ${port} (${service}) is already in use: stop what listens there, or choose another port`,
    );
  }
}

/** Throws a PortInUseError, in words, if something already listens on the port. */
export async function ensurePortFree(port: number, service: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'EADDRINUSE' ? new PortInUseError(port, service) : error),
    );
    server.listen(port, '127.0.0.1', ok);
  });
  await new Promise((ok) => server.close(ok));
}

/** Ports nothing listens on now: all held at once, so that no two are the same. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((ok) =>
          server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)),
        ),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((ok) => server.close(ok))));
  return ports;
}

/**
 * Runs services as children in their own process groups, prefixes their output, and ends the whole stack
 * when one dies: the others are stopped and `onFailure` is told which died and how. Stopping sends SIGTERM
 * to each group, then SIGKILL to what is left after a grace period, so no grandchild (tsx runs node
 * under it) outlives the stack.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly onFailure: (service: string, reason: string) => void,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    // Last resort if the parent exits without stop(): signal every group synchronously.
    process.once('exit', () => {
      for (const child of this.children.values()) killGroup(child, 'SIGKILL');
    });
  }

  start(spec: ServiceSpec): ChildProcess {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (spec.background && child.pid !== undefined) lowerPriority(child.pid);
    this.children.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.write(`[${spec.name}] ${line}`);
      });
    }
    child.once('exit', (code, signal) => {
      this.children.delete(spec.name);
      if (spec.once && code === 0) return;
      if (!this.stopping) {
        this.onFailure(spec.name, signal ? `killed by ${signal}` : `exited with code ${code}`);
      }
    });
    child.once('error', (error) => {
      if (!this.stopping) this.onFailure(spec.name, error.message);
    });
    return child;
  }

  /** Adopts a child started elsewhere (anvil), so that it is supervised and stopped like the rest. */
  adopt(name: string, child: ChildProcess): void {
    this.children.set(name, child);
    child.once('exit', (code, signal) => {
      this.children.delete(name);
      if (!this.stopping) {
        this.onFailure(name, signal ? `killed by ${signal}` : `exited with code ${code}`);
      }
    });
  }

  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    const running = [...this.children.values()];
    const exited = running.map(
      (child) =>
        new Promise<void>((ok) =>
          child.exitCode !== null || child.signalCode !== null
            ? ok()
            : child.once('exit', () => ok()),
        ),
    );
    // Stop in reverse order of start: the web app and watchers before the indexer, anvil last.
    for (const child of running.reverse()) killGroup(child, 'SIGTERM');
    const timer = setTimeout(
      () => running.forEach((child) => killGroup(child, 'SIGKILL')),
      graceMs,
    );
    await Promise.all(exited);
    clearTimeout(timer);
  }
}

/**
 * Ten steps nicer than the stack (as `nice` does), set before the child has started its own
 * children (tsx starts node), which inherit it. Where the system refuses, the child runs as it is.
 */
function lowerPriority(pid: number): void {
  try {
    setPriority(pid, Math.min(getPriority() + 10, constants.priority.PRIORITY_LOW));
  } catch {
    // Only an ordering of work, not a limit anything relies on.
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // not a group leader (adopted child): signal the process itself
    child.kill(signal);
  }
}

/** Polls `url` until it answers 2xx; throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}
