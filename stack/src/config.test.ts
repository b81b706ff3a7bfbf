import { describe, expect, it } from 'vitest';

import { ConfigError, readConfig } from './config';

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

  it('refuses an unknown flag or a port that is not one, in words', () => {
    expect(() => readConfig(['--prot', '3000'], {})).toThrow(ConfigError);
    expect(() => readConfig(['--port', 'eighty'], {})).toThrow(
      '--port must be a port number, not eighty',
    );
  });
});
