import type { Deployment } from '@charter/contracts';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../errors';
import { configFromEnv } from './config';
import { resolveConfig } from './resolveConfig';

const deployment = { chainId: 31337, deploymentBlock: 1, contracts: {} } as Deployment;

describe('resolveConfig', () => {
  it('applies the documented defaults', () => {
    const config = resolveConfig({ rpcUrl: 'http://127.0.0.1:8545', deployment });
    expect(config).toMatchObject({
      port: 42069,
      confirmations: 0,
      finalityDepth: 64,
      dataDir: '.data/indexer',
      answerCacheMegabytes: 64,
    });
  });

  it('refuses what cannot work, saying which setting and why', () => {
    expect(() => resolveConfig({ rpcUrl: '', deployment })).toThrow(ConfigError);
    expect(() => resolveConfig({ rpcUrl: 'ws://x', deployment })).toThrow(/http/);
    expect(() => resolveConfig({ rpcUrl: 'http://x', deployment, confirmations: -1 })).toThrow(
      /confirmations/,
    );
    expect(() =>
      resolveConfig({ rpcUrl: 'http://x', deployment, answerCacheMegabytes: 0.5 }),
    ).toThrow(/answerCacheMegabytes/);
    expect(() => resolveConfig({ rpcUrl: 'http://x', deployment: '/nowhere.json' })).toThrow(
      /deployment/,
    );
  });

  it('limits statements by default, except on the dev chain (the e2e and the demo publish at once)', () => {
    const resolve = (chainId: number, options = {}) =>
      resolveConfig({ rpcUrl: 'http://x', deployment: { ...deployment, chainId }, ...options });
    expect(resolve(31337)).toMatchObject({
      statementIntervalSeconds: 0,
      maxStatementVersions: 100,
    });
    expect(resolve(11155111)).toMatchObject({ statementIntervalSeconds: 60 });
    expect(resolve(31337, { statementIntervalSeconds: 5 }).statementIntervalSeconds).toBe(5);
    expect(resolve(1, { statementIntervalSeconds: 0 }).statementIntervalSeconds).toBe(0);
    expect(() => resolve(1, { statementIntervalSeconds: -1 })).toThrow(/statementIntervalSeconds/);
    expect(() => resolve(1, { maxStatementVersions: 0 })).toThrow(
      /maxStatementVersions must be at least 1/,
    );
  });

  it('maps environment variables in one place', () => {
    expect(
      configFromEnv({
        DATABASE_URL: 'postgres://x',
        INDEXER_PORT: '8080',
        INDEXER_ANSWER_CACHE_MB: '16',
        INDEXER_STATEMENT_INTERVAL: '0',
        INDEXER_MAX_STATEMENT_VERSIONS: '20',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      databaseUrl: 'postgres://x',
      port: 8080,
      answerCacheMegabytes: 16,
      statementIntervalSeconds: 0,
      maxStatementVersions: 20,
      logLevel: 'debug',
    });
  });
});
