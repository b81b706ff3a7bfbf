import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, indexerFlags, readConfig, ROOT } from './config';

describe('readConfig', () => {
  it('takes flags over environment variables over defaults', () => {
    const config = readConfig(['--port', '4000', '--fresh'], {
      PORT: '5000',
      INDEXER_PORT: '5001',
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
    });
    expect(config).toMatchObject({
      fresh: true,
      webPort: 4000,
      indexerPort: 5001,
      anvilPort: 8545,
      databaseUrl: 'postgres://127.0.0.1:5432/test',
      rpcUrl: undefined,
    });
  });

  it('reads paths from where npm was invoked (INIT_CWD), not from the workspace npm runs in', () => {
    const fromRoot = readConfig(
      ['--deployment', 'deployments/11155111.json', '--data-dir', 'var/charter'],
      { INIT_CWD: ROOT },
    );
    expect(fromRoot).toMatchObject({
      deployment: join(ROOT, 'deployments/11155111.json'),
      dataDir: join(ROOT, 'var/charter'),
    });
    expect(readConfig(['--deployment', '/etc/charter/1.json'], { INIT_CWD: ROOT })).toMatchObject({
      deployment: '/etc/charter/1.json',
      dataDir: join(ROOT, '.data'),
    });
    expect(readConfig([], { CHARTER_DEPLOYMENT: 'd.json', INIT_CWD: '/srv' })).toMatchObject({
      deployment: '/srv/d.json',
    });
  });

  it('refuses an unknown flag or a port that is not one, in words', () => {
    expect(() => readConfig(['--prot', '3000'], {})).toThrow(ConfigError);
    expect(() => readConfig(['--port', 'eighty'], {})).toThrow(
      '--port must be a port number, not eighty',
    );
  });
});

describe('the indexer settings for a hosted provider', () => {
  it('reach the indexer as its flags, from flags or environment variables', () => {
    const config = readConfig(
      ['--rpc-url', 'https://rpc.example', '--confirmations', '3', '--max-block-range', '100'],
      { INDEXER_POLLING_INTERVAL: '4000' },
    );
    if (config === 'help') throw new Error('not help');
    expect(config.indexer).toEqual({ confirmations: 3, pollInterval: 4000, maxBlockRange: 100 });
    expect(indexerFlags(config.indexer!)).toEqual([
      '--confirmations',
      '3',
      '--poll-interval',
      '4000',
      '--max-block-range',
      '100',
    ]);
  });

  it('leave the indexer its own defaults when unset, and refuse what is not a count', () => {
    const config = readConfig([], {});
    if (config === 'help') throw new Error('not help');
    expect(indexerFlags(config.indexer!)).toEqual([]);
    expect(() => readConfig(['--confirmations', 'two'], {})).toThrow(
      '--confirmations must be an integer of at least 0, not two',
    );
    expect(() => readConfig(['--max-block-range', '0'], {})).toThrow(ConfigError);
  });
});
