// Placeholder until the notifier lands: answers /health and /ready on --port so that `npm start` can start it.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    deployment: { type: 'string' },
    'indexer-url': { type: 'string' },
    confirmations: { type: 'string' },
    'public-url': { type: 'string' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    port: { type: 'string', default: '42071' },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: false,
});
const app = new Hono();
app.get('/health', (c) => c.json({ ok: true }));
app.get('/ready', (c) => c.json({ ready: true }));
serve({ fetch: app.fetch, port: Number(values.port), hostname: String(values.host) });
