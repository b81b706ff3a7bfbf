// The demo's dishonest evaluator as a process of its own (`npm start` runs it next to the watchers):
//   tsx stack/src/dishonestEvaluatorCli.ts --rpc-url URL --deployment FILE --private-key KEY --state-dir DIR
// Posts evaluator three's inflated results for mail-guard v1 (dishonestEvaluator.ts), then exits.
import { parseArgs } from 'node:util';

import { loadDeployment } from '@charter/contracts';
import type { Hex } from 'viem';

import { postInflatedResults } from './dishonestEvaluator';

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    deployment: { type: 'string' },
    'private-key': { type: 'string' },
    'state-dir': { type: 'string' },
  },
});
for (const name of ['rpc-url', 'deployment', 'private-key', 'state-dir'] as const) {
  if (!values[name]) {
    console.error(`dishonest evaluator: --${name} is required`);
    process.exit(2);
  }
}
await postInflatedResults({
  rpcUrl: values['rpc-url']!,
  deployment: loadDeployment(values.deployment!),
  privateKey: values['private-key'] as Hex,
  stateDir: values['state-dir']!,
  log: (line) => console.log(line),
});
