import { toHex, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/** anvil's default mnemonic: its accounts are public knowledge, for local chains (31337) only. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/**
 * What each of anvil's funded accounts is in the demo DAO (`npm start`), by index: the names the stack
 * prints and the web app's dev-account picker shows. anvil funds 10 accounts by default; `startAnvil`
 * asks for as many as there are names here.
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
  // The proposal guardian: cancels proposals and suspends approved versions in an emergency, for a term.
  'security council',
  // The demo's dishonest evaluator: admitted and bonded, it posts inflated results for mail-guard v1.
  'evaluator three',
  // A token holder with no ETH: votes and delegates only by signing, through the relayer (gasless).
  'frank',
] as const;
export type DevAccountName = (typeof devAccountNames)[number];

/** The account the dev tools select first: a token holder, not the deployer. */
export const defaultDevAccount = devAccountNames.indexOf('alice');

/** Private key of anvil's default account `index` (funded: one per `devAccountNames` entry under `startAnvil`). */
export function anvilPrivateKey(index: number): Hex {
  const key = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for anvil account ${index}`);
  return toHex(key);
}
