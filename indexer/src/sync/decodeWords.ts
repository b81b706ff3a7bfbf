import { decodeAbiParameters, hexToString, type AbiParameter, type Hex } from 'viem';

const simple = /^(uint\d*|int\d*|bool|address|bytes\d+|string|bytes)$/;

/**
 * ABI-decodes event data. Events made only of elementary types and strings (votes, transfers, voting
 * power: nearly every log) are read word by word, several times faster than viem's general decoder,
 * with the same results (uints of up to 48 bits as numbers, the rest as bigints); anything else (arrays,
 * structs) goes to viem.
 */
export function decodeWords(inputs: readonly AbiParameter[], data: Hex): unknown[] {
  if (!inputs.every((input) => simple.test(input.type))) {
    return [...decodeAbiParameters(inputs, data)];
  }
  const hex = data.slice(2);
  const word = (index: number) => hex.slice(index * 64, index * 64 + 64);
  return inputs.map((input, i) => {
    const type = input.type;
    const value = word(i);
    if (type === 'address') return `0x${value.slice(24)}`;
    if (type === 'bool') return value.endsWith('1');
    if (type.startsWith('uint')) {
      const bits = Number(type.slice(4) || 256);
      const big = BigInt(`0x${value}`);
      return bits <= 48 ? Number(big) : big;
    }
    if (type.startsWith('int')) {
      const bits = Number(type.slice(3) || 256);
      let big = BigInt(`0x${value}`);
      if (big >= 2n ** 255n) big -= 2n ** 256n;
      return bits <= 48 ? Number(big) : big;
    }
    if (type === 'string' || type === 'bytes') {
      const offset = Number(BigInt(`0x${value}`)) / 32;
      const length = Number(BigInt(`0x${word(offset)}`));
      const bytes = `0x${hex.slice((offset + 1) * 64, (offset + 1) * 64 + length * 2)}` as Hex;
      return type === 'string' ? hexToString(bytes) : bytes;
    }
    return `0x${value.slice(0, Number(type.slice(5)) * 2)}`; // bytesN
  });
}
