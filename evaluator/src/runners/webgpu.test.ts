import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

import { loadSamples } from '../datasets/loadSamples.js';
import type { ClassificationSample } from '../datasets/types.js';
import { ExitCode } from '../errors.js';
import { writeReduceSumModel } from '../models/writeReduceSumModel.js';
import { scoreOutcome } from '../run/scoreOutcome.js';
import { evaluateModel } from '../run/evaluateModel.js';
import type { Report } from '../reports/types.js';
import { verifyReport } from '../reports/verifyReport.js';
import { writeReport } from '../reports/writeReport.js';
import { listSuites } from '../suites/listSuites.js';
import { scoreDecimalsOf } from '../suites/types.js';
import { tempDir } from '../testing/fixtures.js';
import { createTransformersRunner } from './createTransformersRunner.js';
import { probeWebGpuAdapter } from './probeWebGpuAdapter.js';

// The GPU code path in CI: onnxruntime-node's WebGPU provider (Dawn on Vulkan) on SwiftShader, the
// CPU implementation of Vulkan that Debian's chromium package ships. Not skipped when it is missing:
// CI must run the WebGPU path, so a machine without it fails here and says what to install.
const ICD = process.env.CHARTER_SWIFTSHADER_ICD ?? '/usr/lib/chromium/vk_swiftshader_icd.json';
const root = fileURLToPath(new URL('../../', import.meta.url));
const model = (name: string) => join(root, 'models', name);

beforeAll(async () => {
  if (!existsSync(ICD))
    throw new Error(
      `SwiftShader's Vulkan driver is missing (${ICD}): install Debian's chromium package (apt-get install chromium), or set CHARTER_SWIFTSHADER_ICD to its vk_swiftshader_icd.json`,
    );
  process.env.VK_ICD_FILENAMES = ICD;
  const probe = probeWebGpuAdapter();
  if (!probe.adapter)
    throw new Error(
      `WebGPU through SwiftShader is not set up: ${probe.reason}; install Debian's chromium and libvulkan1 (apt-get install chromium libvulkan1)`,
    );
  if (!process.env.XDG_RUNTIME_DIR) {
    process.env.XDG_RUNTIME_DIR = join(await tempDir(), 'xdg');
    await mkdir(process.env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  }
});

function cli(args: string[], env: Record<string, string> = {}) {
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
    },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('--device webgpu (SwiftShader)', () => {
  it('runs a suite, records the adapter, and its report verifies on the CPU and the other way round', async () => {
    const dir = await tempDir();
    const onGpu = await evaluateModel({
      suite: 'over-blocking',
      modelDir: model('mail-guard-v2'),
      device: 'webgpu',
      batchSize: 32,
    });
    expect(onGpu.host.settings).toMatchObject({
      device: 'webgpu',
      executionProvider: 'WebGpuExecutionProvider',
      adapter: { backend: 'vulkan', software: true, device: expect.stringMatching(/SwiftShader/) },
      sequenceLength: 512,
      padding: 'max_length',
    });
    const gpuPath = join(dir, 'webgpu.json');
    await writeReport(onGpu, gpuPath);
    const onCpu = await verifyReport(gpuPath, { device: 'cpu' });
    expect(onCpu.verdict).not.toBe('mismatch');
    expect(onCpu.metrics).toEqual([]);
    expect(onCpu.notReplayed.map((n) => n.setting)).toEqual(['device', 'adapter']);

    const cpuReport = onCpu.rerun;
    const cpuPath = join(dir, 'cpu.json');
    await writeReport(cpuReport, cpuPath);
    const back = await verifyReport(cpuPath, { device: 'webgpu' });
    expect(back.verdict).not.toBe('mismatch');
  });

  it('gives the CPU outcomes on every bundled classification suite, for both models (a spaced subset)', async () => {
    for (const name of ['mail-guard-v1', 'mail-guard-v2']) {
      const cpu = await createTransformersRunner(model(name), { device: 'cpu' });
      const gpu = await createTransformersRunner(model(name), { device: 'webgpu' });
      for (const suite of await listSuites()) {
        if (suite.suite.task !== 'text-classification') continue;
        const all = (await loadSamples(suite)) as ClassificationSample[];
        const stride = Math.ceil(all.length / 48);
        const texts = all.filter((_, i) => i % stride === 0).map((s) => s.text);
        const decimals = scoreDecimalsOf(suite.suite);
        const [a, b] = [await cpu.classify(texts), await gpu.classify(texts)];
        const differing = a
          .map(
            (p, i) => [scoreOutcome(p[1]!, decimals), scoreOutcome(b[i]![1]!, decimals)] as const,
          )
          .filter(([x, y]) => x.prediction !== y.prediction || x.score !== y.score);
        // Float noise may cross a rounding step; never more than one step, never a prediction.
        for (const [x, y] of differing) {
          expect(x.prediction, `${name} ${suite.suite.name}`).toBe(y.prediction);
          expect(Math.abs(Number(x.score - y.score))).toBeLessThanOrEqual(1e14);
        }
        for (const [i, p] of a.entries()) expect(Math.abs(p[1]! - b[i]![1]!)).toBeLessThan(1e-5);
      }
      await cpu.dispose();
      await gpu.dispose();
    }
  });

  it('makes the batch-dependent hand-made model verify across CPU and WebGPU', async () => {
    const modelDir = await writeReduceSumModel(join(await tempDir(), 'reduce-sum'));
    const report = await evaluateModel({
      suite: 'over-blocking',
      modelDir,
      device: 'webgpu',
      batchSize: 8,
    });
    const path = join(await tempDir(), 'report.json');
    await writeReport(report, path);
    for (const batchSize of [1, 64]) {
      const result = await verifyReport(path, { device: 'cpu', batchSize });
      expect({ batchSize, verdict: result.verdict, metrics: result.metrics }).toEqual({
        batchSize,
        verdict: expect.stringMatching(/^(exact|within-precision)$/),
        metrics: [],
      });
    }
  });
});

describe('device errors: one line and a distinct exit code', () => {
  it('no WebGPU adapter: exit 10', async () => {
    const r = await cli(
      [
        'run',
        'over-blocking',
        '--model',
        model('mail-guard-v1'),
        '--device',
        'webgpu',
        '--out',
        join(await tempDir(), 'r.json'),
      ],
      { VK_ICD_FILENAMES: '/nonexistent/icd.json' },
    );
    expect(r.code).toBe(ExitCode.AdapterUnavailable);
    expect(r.stderr).toMatch(/no WebGPU adapter: VK_ICD_FILENAMES names no readable Vulkan driver/);
  });

  it('a report made on a device this host lacks: exit 12, unless --device says where to verify', async () => {
    const dir = await tempDir();
    const out = join(dir, 'cpu.json');
    expect(
      (
        await cli([
          'run',
          'over-blocking',
          '--model',
          model('mail-guard-v1'),
          '--device',
          'cpu',
          '--out',
          out,
        ])
      ).code,
    ).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    report.host.settings.device = 'cuda'; // host facts are not digested: still a valid report
    const onCuda = join(dir, 'cuda.json');
    await writeFile(onCuda, JSON.stringify(report));
    const refused = await cli(['verify', onCuda]);
    expect(refused.code).toBe(ExitCode.NotReplayable);
    expect(refused.stderr).toMatch(
      /cannot replay this report here: it was made on cuda.*pass --device cpu/,
    );
    const elsewhere = await cli(['verify', onCuda, '--device', 'cpu']);
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toMatch(/^reproduces: 0x/);
    expect(elsewhere.stdout).toMatch(/not replayed: device cuda \(here: cpu\)/);
  });
});
