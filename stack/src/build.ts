// `npm run build -w stack`: builds the contracts and the web app where they are missing or stale, so that
// `npm start` itself only starts things. Meant for the root postinstall, after `npm ci`.
import { ROOT } from './config';
import { prepareBuilds } from './prepareBuilds';

const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const built = prepareBuilds(ROOT, log);
  if (built.length === 0) log('the contracts and the web app are up to date');
} catch (error) {
  log(`build: ${(error as Error).message}`);
  process.exit(1);
}
