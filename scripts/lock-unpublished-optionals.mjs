// The npm registry these machines reach lacks some packages published for other platforms (for example
// @foundry-rs/anvil-darwin-amd64). npm records nothing for them in package-lock.json, and `npm ci` then
// refuses the lock as out of sync. This adds each missing optional platform package to the lock with its
// exact version and platform, so npm ci sees a complete lock and skips the package as not for this
// platform. It runs as the root postinstall, so every npm install leaves a lock that npm ci accepts.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const platform = (name) => {
  const os = ['darwin', 'win32', 'linux', 'freebsd', 'android', 'openbsd', 'sunos', 'aix'].find(
    (o) => name.includes(o),
  );
  const cpu = [
    ['arm64', 'arm64'],
    ['amd64', 'x64'],
    ['x64', 'x64'],
    ['ia32', 'ia32'],
    ['arm', 'arm'],
    ['riscv64', 'riscv64'],
    ['ppc64', 'ppc64'],
    ['s390x', 's390x'],
    ['loong64', 'loong64'],
  ].find(([part]) => name.split(/[-/]/).includes(part))?.[1];
  return { ...(os && { os: [os] }), ...(cpu && { cpu: [cpu] }) };
};

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const prefix = key.startsWith('node_modules/') || key === '' ? '' : `${key}/`;
    const nested = `${key}/node_modules/${name}`;
    const hoisted = `${prefix}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted] || lock.packages[`node_modules/${name}`])
      continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue; // only exact versions can be written down safely
    lock.packages[`node_modules/${name}`] = { version: spec, optional: true, ...platform(name) };
    added++;
  }
}
// npm keeps the entries sorted; so do we, so that its next write changes nothing.
const [root, ...rest] = Object.keys(lock.packages);
lock.packages = Object.fromEntries(
  [root, ...rest.sort((a, b) => a.localeCompare(b, 'en'))].map((key) => [key, lock.packages[key]]),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  `package-lock.json: recorded ${added} optional platform packages the registry does not serve`,
);
