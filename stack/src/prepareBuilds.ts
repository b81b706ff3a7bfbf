// Deliberately free of workspace imports: it runs before the contracts' generated ABIs exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What must be built before the stack can start, and what it is built from. */
const builds = [
  {
    name: 'contracts (forge build, typed ABIs)',
    output: 'contracts/ts/generated/bytecode.ts',
    sources: ['contracts/src', 'foundry.toml', 'contracts/scripts/generate-abis.ts'],
    workspace: 'contracts',
    // What `npm run build -w contracts` does, less the tests and scripts: solc-js is slow, and the stack
    // needs only the deployed contracts (forge test compiles the rest when it runs).
    commands: [
      ['node_modules/.bin/forge', 'build', '--skip', 'test', '--skip', 'script'],
      ['node_modules/.bin/tsx', 'contracts/scripts/generate-abis.ts'],
    ],
  },
  {
    name: 'web app (vite build)',
    output: 'web/build/index.js',
    sources: [
      'web/src',
      'web/static',
      'web/svelte.config.js',
      'web/vite.config.ts',
      'web/package.json',
    ],
    workspace: 'web',
    commands: [['npm', 'run', 'build', '-w', 'web']],
  },
] as const;

export class BuildFailedError extends Error {
  override name = 'BuildFailedError';
  constructor(
    readonly what: string,
    readonly status: number | null,
  ) {
    super(`building the ${what} failed (exit ${status}); see its output above`);
  }
}

/** The newest modification time under a file or folder, 0 if it does not exist. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/**
 * Builds the contracts and then the web app (which imports the contracts' ABIs) when their output is
 * missing or older than their sources; a no-op on a warm machine. Returns what it built.
 */
export function prepareBuilds(root: string, log: (line: string) => void): string[] {
  const built: string[] = [];
  for (const build of builds) {
    const output = join(root, build.output);
    const outputTime = newest(output);
    const sourceTime = Math.max(...build.sources.map((source) => newest(join(root, source))));
    if (outputTime > 0 && outputTime >= sourceTime) continue;
    log(`building the ${build.name}: ${outputTime ? 'its sources changed' : 'not built yet'}`);
    const started = Date.now();
    for (const [command, ...args] of build.commands) {
      const executable = command!.includes('/') ? join(root, command!) : command!;
      const result = spawnSync(executable, args, {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (result.status !== 0) throw new BuildFailedError(build.name, result.status);
    }
    log(`built the ${build.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    built.push(build.workspace);
  }
  return built;
}
