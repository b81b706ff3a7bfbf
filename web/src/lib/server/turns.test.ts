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
  // crowd's requests accepts a newcomer only after a turn per connection queued before it. Counted in
  // requests served rather than in milliseconds, so that the machine's load does not decide it.
  it('lets a busy server accept new connections between turns', async () => {
    const run = async (perTurn: number) => {
      const turns = new Turns(perTurn);
      let served = 0;
      const server: Server = createServer((_, response) => {
        const respond = () => {
          const until = performance.now() + 1;
          while (performance.now() < until); // a millisecond of work per request
          served++;
          response.end('ok');
        };
        const wait = turns.take();
        if (wait) void wait.then(respond);
        else respond();
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      const { port } = server.address() as AddressInfo;
      // A crowd of 40 connections, each sending its next request as soon as an answer arrives...
      const request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
      const crowd = Array.from({ length: 40 }, () => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        socket.on('data', () => socket.write(request));
        socket.on('error', () => {});
        return socket;
      });
      while (served < 200) await new Promise((ok) => setTimeout(ok, 5));
      // ...then 20 newcomers connect at once: how many requests were served before the last was accepted?
      const before = served;
      let accepted = 0;
      let servedMeanwhile = 0;
      server.on('connection', () => {
        if (++accepted === 20) servedMeanwhile = served - before;
      });
      const newcomers = Array.from({ length: 20 }, () => connect(port, '127.0.0.1'));
      while (accepted < 20) await new Promise((ok) => setTimeout(ok, 5));
      for (const socket of [...crowd, ...newcomers]) socket.destroy();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      return servedMeanwhile;
    };
    const unlimited = await run(0);
    const limited = await run(2);
    // Unlimited: a turn per newcomer, each running the crowd's 40 requests (~800); limited: 2 per turn.
    expect(limited).toBeLessThan(unlimited / 4);
  }, 30_000);
});
