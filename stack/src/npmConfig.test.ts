import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { expect, it } from 'vitest';

import { ROOT } from './config';

// Every npm command a person types in the repository reads its configuration; a key npm does not know
// (such as the old `onnxruntime-node-install` in .npmrc) made each of them print warnings.
const npm = (cwd: string) =>
  promisify(execFile)('npm', ['pkg', 'get', 'name', '--workspaces=false'], { cwd });

it('runs npm commands in the repository without configuration warnings', async () => {
  const { stdout, stderr } = await npm(ROOT);
  expect(stdout).toContain('"charter"');
  expect(stderr).not.toMatch(/npm warn/i);
});

it('would notice a configuration key npm does not know', async () => {
  // The check above can fail: the same command in a folder whose .npmrc has such a key warns.
  const dir = join(ROOT, 'node_modules/.cache/charter-npmrc-check');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "probe" }\n');
  writeFileSync(join(dir, '.npmrc'), 'onnxruntime-node-install=skip\n');
  try {
    const { stderr } = await npm(dir);
    expect(stderr).toMatch(/Unknown project config "onnxruntime-node-install"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
