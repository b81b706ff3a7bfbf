// The evaluator's writes on anvil: the shared gas rule's limit, and a write that runs out of gas explained
// once, with the gas it used, and not sent again.
import {
  anvilPrivateKey,
  charterTokenAbi,
  deployCharter,
  startAnvil,
  withHeadroom,
  type Anvil,
} from '@charter/contracts';
import { encodeFunctionData } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { connectCharter, type CharterConnection } from './connect.js';
import { OnChainExitCode } from './errors.js';
import { sendWrite, WriteOutOfGasError } from './sendWrite.js';

const key = anvilPrivateKey(0);
const holder = privateKeyToAccount(key).address;

let anvil: Anvil;
let connection: CharterConnection;
beforeAll(async () => {
  anvil = await startAnvil();
  const deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: key });
  connection = connectCharter({ rpcUrl: anvil.rpcUrl, deployment, privateKey: key });
}, 120_000);
afterAll(() => anvil?.stop());

const delegateToSelf = () =>
  ({
    address: connection.deployment.contracts.token,
    abi: charterTokenAbi,
    functionName: 'delegate',
    args: [holder],
  }) as const;

it('explains a write that ran out of gas, with the gas it used, and sends it once', async () => {
  const nonce = await connection.public.getTransactionCount({ address: holder });
  const error = await sendWrite(connection, delegateToSelf(), { gas: 30_000n }).catch((e) => e);
  expect(error).toBeInstanceOf(WriteOutOfGasError);
  expect(error.exitCode).toBe(OnChainExitCode.Refused);
  expect(error.message).toMatch(/delegate ran out of gas .*30000 gas/);
  expect(error.details).toMatchObject({ gasUsed: 30_000n, gasLimit: 30_000n });
  expect(await connection.public.getTransactionCount({ address: holder })).toBe(nonce + 1);
});

it('sends with the pending estimate plus headroom, enough for the write', async () => {
  const call = delegateToSelf();
  const estimate = await connection.public.estimateGas({
    account: holder,
    to: call.address,
    data: encodeFunctionData(call),
    blockTag: 'pending',
  });
  const { txHash, receipt } = await sendWrite(connection, call);
  expect(receipt.status).toBe('success');
  const sent = await connection.public.getTransaction({ hash: txHash });
  expect(sent.gas).toBe(withHeadroom(estimate));
  expect(receipt.gasUsed).toBeLessThan(sent.gas);
});
