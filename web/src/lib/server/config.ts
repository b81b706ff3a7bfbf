import { env } from '$env/dynamic/private';

/** Everything the web server needs to know about its surroundings. */
export interface WebConfig {
  /** The indexer's HTTP API, as this server reaches it. */
  indexerUrl: string;
  /** The relayer's API (gasless votes and delegations), as this server reaches it; null hides those. */
  relayerUrl: string | null;
  /** The notifier's API (subscriptions, deliveries, feeds), as this server reaches it; null hides those. */
  notifierUrl: string | null;
  /** The chain's JSON-RPC URL, as this server reaches it. Browsers reach the dev tools' methods through `/rpc`, in dev mode only. */
  rpcUrl: string;
  /** The RPC URL offered to a wallet that does not know the chain yet (`wallet_addEthereumChain`). */
  publicRpcUrl: string;
  /** The chain Charter is deployed on. */
  chainId: number;
  /**
   * Dev mode: the chain is a throwaway one that `npm start` runs itself, so the page offers its well-known
   * accounts and an advance-time control, and `/rpc` relays the methods those need. Set only by the explicit
   * flag, never inferred from the chain id: a shared staging chain may use 31337 too.
   */
  devChain: boolean;
  /** The chain's name as people read it. */
  chainName: string;
  /**
   * Memory for the shared cache, in MiB: as much again for rendered pages and for the indexer's answers,
   * each kept until the indexer's stream announces a later block. 0 turns caching off.
   */
  cacheMegabytes: number;
  /**
   * Requests started per turn of the event loop, so that a busy server still accepts new connections
   * between turns (src/lib/server/turns.ts). 0 starts every request at once.
   */
  requestsPerTurn: number;
}

export const DEV_CHAIN_ID = 31337;

export const defaultConfig: WebConfig = {
  indexerUrl: 'http://127.0.0.1:42069',
  relayerUrl: null,
  notifierUrl: null,
  rpcUrl: 'http://127.0.0.1:8545',
  publicRpcUrl: 'http://127.0.0.1:8545',
  chainId: DEV_CHAIN_ID,
  chainName: 'Local development chain',
  devChain: false,
  cacheMegabytes: 64,
  requestsPerTurn: 8,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Maps environment variables onto the config: CHARTER_INDEXER_URL, CHARTER_RELAYER_URL, CHARTER_NOTIFIER_URL, CHARTER_RPC_URL, CHARTER_PUBLIC_RPC_URL,
 * CHARTER_CHAIN_ID, CHARTER_CHAIN_NAME, CHARTER_DEV_CHAIN (`1` for dev mode; anything else but empty is refused),
 * CHARTER_WEB_CACHE_MB, CHARTER_WEB_REQUESTS_PER_TURN.
 */
export function parseConfig(vars: Record<string, string | undefined>): WebConfig {
  const url = (name: string, fallback: string) => {
    const value = vars[name] || fallback;
    if (!value) return '';
    try {
      return new URL(value).toString().replace(/\/$/, '');
    } catch {
      throw new ConfigError(`${name} is not a URL: ${value}`);
    }
  };
  const chainId = Number(vars.CHARTER_CHAIN_ID || defaultConfig.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new ConfigError(`CHARTER_CHAIN_ID is not a chain id: ${vars.CHARTER_CHAIN_ID}`);
  }
  const rpcUrl = url('CHARTER_RPC_URL', defaultConfig.rpcUrl);
  const devFlag = vars.CHARTER_DEV_CHAIN ?? '';
  if (devFlag !== '' && devFlag !== '0' && devFlag !== '1') {
    throw new ConfigError(`CHARTER_DEV_CHAIN is 1 (dev mode) or 0, not: ${devFlag}`);
  }
  const cacheMegabytes = Number(vars.CHARTER_WEB_CACHE_MB || defaultConfig.cacheMegabytes);
  if (!Number.isSafeInteger(cacheMegabytes) || cacheMegabytes < 0) {
    throw new ConfigError(
      `CHARTER_WEB_CACHE_MB is a whole number of MiB (0 turns caching off), not: ${vars.CHARTER_WEB_CACHE_MB}`,
    );
  }
  const perTurn = vars.CHARTER_WEB_REQUESTS_PER_TURN || String(defaultConfig.requestsPerTurn);
  const requestsPerTurn = Number(perTurn);
  if (!/^\d+$/.test(perTurn) || !Number.isSafeInteger(requestsPerTurn)) {
    throw new ConfigError(
      `CHARTER_WEB_REQUESTS_PER_TURN is a whole number of requests (0: no limit), not: ${perTurn}`,
    );
  }
  return {
    indexerUrl: url('CHARTER_INDEXER_URL', defaultConfig.indexerUrl),
    relayerUrl: url('CHARTER_RELAYER_URL', '') || null,
    notifierUrl: url('CHARTER_NOTIFIER_URL', '') || null,
    rpcUrl,
    publicRpcUrl: url('CHARTER_PUBLIC_RPC_URL', rpcUrl),
    chainId,
    chainName:
      vars.CHARTER_CHAIN_NAME ||
      (chainId === DEV_CHAIN_ID ? defaultConfig.chainName : `Chain ${chainId}`),
    devChain: devFlag === '1',
    cacheMegabytes,
    requestsPerTurn,
  };
}

export const config: WebConfig = parseConfig(env);
