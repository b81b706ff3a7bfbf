import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { Turns } from './turns';

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

/** Takes `count` turns at once and records, for each, the turn of the event loop it started on. */
async function startTurns(turns: Turns, count: number): Promise<number[]> {
  let turn = 0;
  const startedOn: number[] = [];
  // Counts turns from an immediate queued before the requests', so it runs first on every turn.
  const counting = (async () => {
    while (startedOn.filter((t) => t !== undefined).length < count) {
      await nextTurn();
      turn++;
    }
  })();
  const taken = Array.from({ length: count }, async (_, i) => {
    const wait = turns.take();
    if (wait) await wait;
    startedOn[i] = turn;
  });
  await Promise.all([...taken, counting]);
  return startedOn;
}

describe('Turns', () => {
  it('starts at most perTurn requests per turn, first come first served', async () => {
    const startedOn = await startTurns(new Turns(2), 7);
    // Two at once, then two per turn in the order they came.
    expect(startedOn).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });

  it('starts everything at once with no limit', async () => {
    const turns = new Turns(0);
    expect(Array.from({ length: 100 }, () => turns.take())).toEqual(
      Array.from({ length: 100 }, () => undefined),
    );
  });

  it('starts at once again once the queue has drained', async () => {
    const turns = new Turns(1);
    await startTurns(turns, 3);
    await nextTurn();
    await nextTurn();
    expect(turns.take()).toBeUndefined();
    expect(turns.queued).toBe(0);
  });

  // The reason it exists: Node accepts one connection per turn, so a server whose every turn runs a
  // crowd's requests accepts a newcomer only after a turn per connection queued before it.
  it('lets a busy server accept new connections between turns', async () => {
    const busyMs = 5;
    const run = async (perTurn: number) => {
      const turns = new Turns(perTurn);
      const server: Server = createServer((_, response) => {
        const respond = () => {
          const until = performance.now() + busyMs;
          while (performance.now() < until);
          response.end('ok');
        };
        const wait = turns.take();
        if (wait) void wait.then(respond);
        else respond();
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      const { port } = server.address() as AddressInfo;
      // 40 clients that each send a request as soon as the last answer came (a crowd)...
      let stop = false;
      const crowd = Array.from({ length: 40 }, async () => {
        while (!stop) await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
      });
      await new Promise((ok) => setTimeout(ok, 300));
      // ...then 20 newcomers connect at once: how long until the server has accepted the last one?
      const acceptedAt: number[] = [];
      const connectedAt = performance.now();
      server.on('connection', () => acceptedAt.push(performance.now() - connectedAt));
      const newcomers = Array.from({ length: 20 }, () => connect(port, '127.0.0.1'));
      while (acceptedAt.length < 20) await new Promise((ok) => setTimeout(ok, 5));
      stop = true;
      for (const socket of newcomers) socket.destroy();
      await Promise.all(crowd);
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      return Math.max(...acceptedAt);
    };
    const unlimited = await run(0);
    const limited = await run(2);
    // Unlimited: 40 requests × 5 ms per turn and one newcomer per turn (~2 s for 20); limited: 2 per turn.
    expect(limited).toBeLessThan(unlimited / 2);
  }, 30_000);
});
