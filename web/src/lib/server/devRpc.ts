import { config } from './config';

/**
 * The JSON-RPC methods the dev tools send through `/rpc`, and nothing else: reads and fee lookups for the
 * dev accounts' transactions (signed in the page, so only raw transactions go out), the account's ETH (a form
 * says when it cannot pay for gas), receipts, and the
 * advance-time control (`evm_increaseTime` + `evm_mine`, which anvil and Hardhat's node both have).
 */
export const devRpcMethods: ReadonlySet<string> = new Set([
  'eth_chainId',
  'eth_blockNumber',
  'eth_getBlockByNumber',
  'eth_call',
  'eth_estimateGas',
  'eth_getTransactionCount',
  'eth_getBalance',
  'eth_gasPrice',
  'eth_maxPriorityFeePerGas',
  'eth_sendRawTransaction',
  'eth_getTransactionReceipt',
  'eth_getTransactionByHash',
  'evm_increaseTime',
  'evm_mine',
]);

interface RpcRequest {
  id?: unknown;
  method?: unknown;
}

const rpcError = (id: unknown, code: number, message: string) => ({
  jsonrpc: '2.0',
  id: id ?? null,
  error: { code, message },
});

/** The refusal for a request the relay does not pass on, or null for one it does. */
function refusal(request: RpcRequest) {
  if (typeof request?.method !== 'string') return rpcError(request?.id, -32600, 'invalid request');
  if (devRpcMethods.has(request.method)) return null;
  return rpcError(
    request.id,
    -32601,
    `${request.method} is not relayed: /rpc passes on only the methods the dev tools use`,
  );
}

/**
 * Relays a JSON-RPC request (or batch) to the dev chain when every method in it is on the list; otherwise
 * answers with an error naming the refused method, and the chain sees nothing.
 */
export async function relayDevRpc(body: string): Promise<{ status: number; body: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, body: JSON.stringify(rpcError(null, -32700, 'parse error')) };
  }
  const requests = (Array.isArray(parsed) ? parsed : [parsed]) as RpcRequest[];
  const refused = requests.map(refusal);
  if (refused.some(Boolean)) {
    const answers = refused.map(
      (r, i) =>
        r ??
        rpcError(requests[i]?.id, -32600, 'not sent: another request in the batch was refused'),
    );
    return { status: 200, body: JSON.stringify(Array.isArray(parsed) ? answers : answers[0]) };
  }
  const upstream = await fetch(config.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  }).catch(() => null);
  if (!upstream) {
    return { status: 502, body: JSON.stringify(rpcError(null, -32603, 'chain unreachable')) };
  }
  return { status: upstream.status, body: await upstream.text() };
}
