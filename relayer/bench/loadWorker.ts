// Child process of bench.ts: runs one autocannon load per message from the parent and answers with its
// figures, so that the load generator does not share the relayer's event loop. A POST load sends the
// bodies it is given, each once: autocannon asks `setupRequest` for every request, first ones included.
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

export interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  /** GET: seconds to run. */
  seconds?: number;
  /** POST: the bodies, one request each. */
  bodies?: string[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Every answer's latency in ms (autocannon's own response times). */
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests?: {
    method: string;
    headers?: Record<string, string>;
    setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
  }[];
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (
  options: AutocannonOptions,
  done: (error: Error | null, result: AutocannonResult) => void,
) => EventEmitter;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function run(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const bodies = job.bodies ?? [];
  const options: AutocannonOptions =
    job.method === 'POST'
      ? {
          url: job.url,
          connections: job.connections,
          amount: bodies.length,
          timeout: 30,
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              setupRequest: (request) => ({ ...request, body: bodies[next++] }),
            },
          ],
        }
      : { url: job.url, connections: job.connections, duration: job.seconds ?? 3, timeout: 30 };
  const started = performance.now();
  let lastAnswer = started;
  return new Promise<LoadResult>((resolve, reject) => {
    const tracker = autocannon(options, (error, result) => {
      if (error) return reject(error);
      if (job.method === 'POST' && next !== bodies.length) {
        return reject(new Error(`${next} bodies were asked for, ${bodies.length} given`));
      }
      // autocannon ends a run at its next sample tick (every second): time it to its last answer instead.
      const seconds = (lastAnswer - started) / 1000;
      const statusCodes = Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
      );
      resolve({
        requests: latencies.length,
        seconds,
        requestsPerSecond: latencies.length / seconds,
        latencies,
        statusCodes,
        errors: result.errors,
        timeouts: result.timeouts,
      });
    });
    tracker.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
      latencies.push(time);
      lastAnswer = performance.now();
    });
  });
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!({ result }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
