// A child process of bench/load.ts: holds `count` connections to the indexer's stream and, once every one
// of them has received the `block` event of a block, sends the parent when each received it (Unix ms, as
// `performance.timeOrigin + performance.now()` reads the same clock in both processes).
import { Agent, request } from 'node:http';

const [base, countArgument] = process.argv.slice(2);
const count = Number(countArgument);
if (!base || !Number.isInteger(count) || count < 1) {
  throw new Error('usage: streamClients.ts <indexer url> <number of clients>');
}
const send = (message: unknown) => process.send!(message);

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const received = new Map<number, number[]>();
let connected = 0;

function open() {
  const req = request(new URL('/stream', base), { agent }, (response) => {
    if (response.statusCode !== 200) throw new Error(`stream answered ${response.statusCode}`);
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (chunk: string) => {
      const now = performance.timeOrigin + performance.now();
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith(': connected') && ++connected === count) send({ connected });
        if (!event.startsWith('event: block\n')) continue;
        const { number } = JSON.parse(event.slice(event.indexOf('data: ') + 6)) as {
          number: number;
        };
        const times = received.get(number) ?? [];
        received.set(number, times);
        times.push(now);
        if (times.length === count) {
          send({ block: number, times });
          received.delete(number);
        }
      }
    });
    response.on('end', () => send({ error: 'a stream ended' }));
  });
  req.on('error', (error) => send({ error: error.message }));
  req.end();
}

// In batches, so that the server's accept backlog never overflows (a dropped SYN waits a second).
for (let i = 0; i < count; i++) {
  open();
  if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
}
process.on('disconnect', () => process.exit(0));
