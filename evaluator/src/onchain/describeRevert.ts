import { BaseError, ContractFunctionRevertedError, hexToString, isHex } from 'viem';

/** A custom error decoded from a revert, in the contract's words and in a person's. */
export interface DecodedRevert {
  name: string;
  args: readonly unknown[];
  /** e.g. `PolicyRegistryThresholdNotMet(ruleIndex: 0, metricId: "f1", value: 0.7165, …)`. */
  words: string;
}

/** The custom error inside a viem error, if the revert carried one the ABI knows. */
export function describeRevert(error: unknown): DecodedRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data) return undefined;
  const { errorName, args = [], abiItem } = reverted.data;
  const inputs = abiItem && 'inputs' in abiItem ? abiItem.inputs : [];
  const shown = args.map((arg, i) => {
    const label = inputs[i]?.name ? `${inputs[i].name}: ` : '';
    return label + showValue(arg, inputs[i]?.type);
  });
  return { name: errorName, args, words: `${errorName}(${shown.join(', ')})` };
}

/** bytes32 short names as text, 18-decimal fixed-point amounts as decimals. */
function showValue(value: unknown, type = ''): string {
  if (type === 'bytes32' && typeof value === 'string' && isHex(value)) {
    const text = hexToString(value, { size: 32 }).replace(/\0+$/, '');
    if (/^[\x20-\x7e]+$/.test(text)) return JSON.stringify(text);
    return value;
  }
  if (typeof value === 'bigint') {
    if (value >= 10n ** 15n && value < 10n ** 30n) {
      const whole = value / 10n ** 18n;
      const fraction = (value % 10n ** 18n).toString().padStart(18, '0').slice(0, 4);
      return `${whole}.${fraction}`;
    }
    return value.toString();
  }
  return String(value);
}
