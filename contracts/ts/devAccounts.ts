import { toHex, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/** anvil's default mnemonic: its accounts are public knowledge, for local chains (31337) only. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/** Private key of anvil's default account `index` (0 to 9 are funded). */
export function anvilPrivateKey(index: number): Hex {
  const key = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for anvil account ${index}`);
  return toHex(key);
}
