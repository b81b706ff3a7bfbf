import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { evaluateModel } from '../src/run/evaluateModel.js';
import { tempDir } from '../src/testing/fixtures.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));

describe('scripts/gpu-check.sh bundle', () => {
  it('packs an evaluator that runs outside the repository and gives the same report', async () => {
    const out = join(await tempDir(), 'gpu-check');
    const { stdout } = await run('bash', [
      join(root, 'scripts/gpu-check.sh'),
      'bundle',
      '--out',
      out,
    ]);
    expect(stdout).toMatch(/gpu-check bundle: .*gpu-check \(\d+M\)/);
    // From a folder outside the repository, so nothing resolves to its node_modules.
    const report = join(out, 'over-blocking.json');
    await run(
      process.execPath,
      [
        join(out, 'bundle/evaluator/cli.mjs'),
        'run',
        'over-blocking',
        '--model',
        join(out, 'models/mail-guard-v1'),
        '--device',
        'cpu',
        '--out',
        report,
      ],
      { cwd: out },
    );
    const bundled = JSON.parse(await readFile(report, 'utf8')) as { digest: string };
    const source = await evaluateModel({
      suite: 'over-blocking',
      modelDir: join(root, 'models/mail-guard-v1'),
      device: 'cpu',
    });
    expect(bundled.digest).toBe(source.digest);
  });
});
