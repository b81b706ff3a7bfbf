import { describe, expect, it } from 'vitest';

import { ConfigError, defaultConfig, parseConfig } from './config';

describe('parseConfig', () => {
  it('has defaults for a local stack', () => {
    expect(parseConfig({})).toEqual(defaultConfig);
  });

  it('maps the environment onto the config', () => {
    const config = parseConfig({
      CHARTER_INDEXER_URL: 'https://indexer.example/',
      CHARTER_NOTIFIER_URL: 'http://notifier.internal:42071',
      CHARTER_RPC_URL: 'https://rpc.example',
      CHARTER_CHAIN_ID: '11155111',
    });
    expect(config).toEqual({
      indexerUrl: 'https://indexer.example',
      relayerUrl: null, // unset: no gasless votes
      notifierUrl: 'http://notifier.internal:42071',
      rpcUrl: 'https://rpc.example',
      publicRpcUrl: 'https://rpc.example',
      chainId: 11155111,
      chainName: 'Chain 11155111',
      devChain: false,
      cacheMegabytes: 64,
      requestsPerTurn: 8,
    });
  });

  it('turns on dev mode by the explicit flag only, never by the chain id', () => {
    expect(parseConfig({ CHARTER_CHAIN_ID: '31337' }).devChain).toBe(false);
    expect(parseConfig({ CHARTER_DEV_CHAIN: '0' }).devChain).toBe(false);
    expect(parseConfig({ CHARTER_DEV_CHAIN: '1' }).devChain).toBe(true);
    expect(() => parseConfig({ CHARTER_DEV_CHAIN: 'yes' })).toThrow('CHARTER_DEV_CHAIN');
  });

  it('refuses what it cannot use', () => {
    expect(() => parseConfig({ CHARTER_CHAIN_ID: 'mainnet' })).toThrow(ConfigError);
    expect(() => parseConfig({ CHARTER_RPC_URL: 'not a url' })).toThrow('CHARTER_RPC_URL');
    expect(() => parseConfig({ CHARTER_RELAYER_URL: 'not a url' })).toThrow('CHARTER_RELAYER_URL');
    expect(() => parseConfig({ CHARTER_WEB_CACHE_MB: '-1' })).toThrow('CHARTER_WEB_CACHE_MB');
    expect(() => parseConfig({ CHARTER_WEB_CACHE_MB: 'lots' })).toThrow('CHARTER_WEB_CACHE_MB');
    expect(parseConfig({ CHARTER_WEB_CACHE_MB: '0' }).cacheMegabytes).toBe(0);
    expect(() => parseConfig({ CHARTER_WEB_REQUESTS_PER_TURN: '1.5' })).toThrow(
      'CHARTER_WEB_REQUESTS_PER_TURN',
    );
    expect(parseConfig({ CHARTER_WEB_REQUESTS_PER_TURN: '0' }).requestsPerTurn).toBe(0);
  });
});
