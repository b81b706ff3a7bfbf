import { toHex, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/** anvil's default mnemonic: its accounts are public knowledge, for local chains (31337) only. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/**
 * What each of anvil's funded accounts is in the demo DAO (`npm start`), by index: the names the stack
 * prints and the web app's dev-account picker shows.
 */
export const devAccountNames = [
  'deployer',
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'evaluator one',
  'evaluator two',
  'relayer',
  'stranger',
] as const;
export type DevAccountName = (typeof devAccountNames)[number];

/** The account the dev tools select first: a token holder, not the deployer. */
export const defaultDevAccount = devAccountNames.indexOf('alice');

/** Private key of anvil's default account `index` (0 to 9 are funded). */
export function anvilPrivateKey(index: number): Hex {
  const key = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for anvil account ${index}`);
  return toHex(key);
}
