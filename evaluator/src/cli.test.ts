import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { modelDigest } from './models/modelDigest.js';
import { tempDir, writeJsonlSuite } from './testing/fixtures.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin/charter-eval.js');
const V2 = join(root, 'models/mail-guard-v2');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('charter-eval', () => {
  it('lists suites and prints model digests', async () => {
    const suites = await cli('--json', 'suites');
    expect(suites.code).toBe(0);
    expect((JSON.parse(suites.stdout) as { name: string }[]).map((s) => s.name)).toContain(
      'spam-detection',
    );
    const digest = await cli('digest', V2);
    expect(digest.stdout.trim()).toBe(await modelDigest(V2));
  });

  it('runs a suite, writes a report that verifies, and exits 3 on a tampered one', async () => {
    const out = join(await tempDir(), 'report.json');
    const run = await cli(
      '--json',
      'run',
      'over-blocking',
      '--model',
      V2,
      '--device',
      'cpu',
      '--out',
      out,
    );
    expect(run.code).toBe(0);
    const [summary] = JSON.parse(run.stdout) as {
      path: string;
      digest: string;
      metrics: { id: string }[];
    }[];
    expect(summary).toMatchObject({ path: out, metrics: [{ id: 'false_positive_rate' }] });

    const verify = await cli('verify', out, '--batch-size', '5');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`reproduces: ${summary!.digest}`);

    const report = JSON.parse(await readFile(out, 'utf8')) as { samples: { score: string }[] };
    report.samples[0]!.score = '0';
    await writeFile(out, JSON.stringify(report));
    const tampered = await cli('verify', out);
    expect(tampered.code).toBe(3);
    expect(tampered.stderr).toMatch(/^error: report .* was modified after it was produced/);
  });

  it('exits 2 on bad input, with the reason', async () => {
    const dir = await tempDir();
    const suite = await writeJsonlSuite(dir, [], { metrics: ['f1', 'charisma'] });
    const unknown = await cli('run', suite, '--model', V2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown metric "charisma"');
    const noModel = await cli('run', 'over-blocking', '--model', join(dir, 'absent'));
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/model directory .*absent does not exist/);
    expect((await cli('run', 'over-blocking')).code).toBe(2);
  });
});
