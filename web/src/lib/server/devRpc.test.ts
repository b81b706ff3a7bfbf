import { describe, expect, it } from 'vitest';

import { devRpcMethods, relayDevRpc } from './devRpc';

const call = (method: string, id = 7) => JSON.stringify({ jsonrpc: '2.0', id, method, params: [] });

describe('relayDevRpc', () => {
  it.each(['anvil_setBalance', 'eth_accounts', 'eth_sendTransaction', 'debug_traceTransaction'])(
    'refuses %s, naming it, without asking the chain',
    async (method) => {
      const answer = await relayDevRpc(call(method));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: { code: -32601, message: expect.stringContaining(`${method} is not relayed`) },
      });
    },
  );

  it('refuses a whole batch that hides one refused method', async () => {
    const body = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'anvil_impersonateAccount', params: [] },
    ]);
    const answers = JSON.parse((await relayDevRpc(body)).body) as { id: number; error: unknown }[];
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(answers.every((a) => a.error)).toBe(true);
    expect(JSON.stringify(answers[1])).toContain('anvil_impersonateAccount is not relayed');
  });

  it('lists time travel common to anvil and Hardhat, and no anvil-only method', () => {
    expect(devRpcMethods.has('evm_increaseTime') && devRpcMethods.has('evm_mine')).toBe(true);
    expect([...devRpcMethods].filter((m) => !/^(eth|evm)_/.test(m))).toEqual([]);
  });
});
