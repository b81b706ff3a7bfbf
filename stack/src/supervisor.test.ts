import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { getPriority } from 'node:os';
import { expect, it } from 'vitest';

import { ensurePortFree, PortInUseError, Supervisor } from './supervisor';

it('reports a port in use in words', async () => {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await expect(ensurePortFree(port, 'web')).rejects.toThrow(PortInUseError);
  await expect(ensurePortFree(port, 'web')).rejects.toThrow(`port ${port} (web) is already in use`);
  server.close();
});

it('reports a child that dies and stops the others, leaving no process behind', async () => {
  const failures: string[] = [];
  const lines: string[] = [];
  const supervisor = new Supervisor(
    (service, reason) => failures.push(`${service}: ${reason}`),
    (line) => lines.push(line),
  );
  // A child that starts a grandchild: stopping must take both.
  const survivor = supervisor.start({
    name: 'survivor',
    command: 'sh',
    args: ['-c', 'sleep 60 & echo "grandchild $!"; wait'],
  });
  supervisor.start({ name: 'crasher', command: 'sh', args: ['-c', 'echo started; exit 3'] });
  await new Promise((ok) => setTimeout(ok, 500));
  expect(failures).toEqual(['crasher: exited with code 3']);
  expect(lines).toContain('[crasher] started');

  const grandchild = Number(
    lines.find((l) => l.startsWith('[survivor] grandchild'))?.split(' ')[2],
  );
  await supervisor.stop();
  expect(survivor.exitCode !== null || survivor.signalCode !== null).toBe(true);
  // The group's signal reaches the grandchild with the child's, but on a busy machine it may be scheduled to
  // die a moment after the child's exit is seen: give it that moment, not more.
  await expect.poll(() => isRunning(grandchild), { timeout: 2_000 }).toBe(false);
  expect(failures).toHaveLength(1); // stopping on purpose is not a failure
});

it('lets a task that finishes exit 0, but reports one that fails', async () => {
  const failures: string[] = [];
  const supervisor = new Supervisor(
    (service, reason) => failures.push(`${service}: ${reason}`),
    () => {},
  );
  supervisor.start({ name: 'done', command: 'sh', args: ['-c', 'exit 0'], once: true });
  supervisor.start({ name: 'broken', command: 'sh', args: ['-c', 'exit 4'], once: true });
  await new Promise((ok) => setTimeout(ok, 500));
  expect(failures).toEqual(['broken: exited with code 4']);
  await supervisor.stop();
});

it('runs background work at a lower priority, its own children too', async () => {
  const lines: string[] = [];
  const supervisor = new Supervisor(
    () => {},
    (line) => lines.push(line),
  );
  // The grandchild is started after a moment, as tsx starts node: it inherits the priority.
  const child = supervisor.start({
    name: 'evaluator',
    background: true,
    command: 'sh',
    args: ['-c', 'sleep 0.2; sleep 60 & echo "grandchild $!"; wait'],
  });
  const normal = supervisor.start({ name: 'web', command: 'sleep', args: ['60'] });
  await expect.poll(() => lines.some((l) => l.startsWith('[evaluator] grandchild'))).toBe(true);
  const grandchild = Number(
    lines.find((l) => l.startsWith('[evaluator] grandchild'))!.split(' ')[2],
  );
  const background = Math.min(getPriority() + 10, 19);
  expect([getPriority(child.pid!), getPriority(grandchild), getPriority(normal.pid!)]).toEqual([
    background,
    background,
    getPriority(),
  ]);
  await supervisor.stop();
});

/** Whether a process runs: a killed one whose parent is gone may linger unreaped as a zombie. */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
