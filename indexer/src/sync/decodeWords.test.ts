import { encodeAbiParameters, parseAbiParameters } from 'viem';
import { describe, expect, it } from 'vitest';

import { decodeWords } from './decodeWords';

describe('decodeWords', () => {
  it('decodes elementary types and strings as viem does', () => {
    const cases = [
      ['uint256 a, uint8 b, uint256 c, string d', [2n ** 255n + 7n, 2, 0n, 'a reason ✓']],
      [
        'address a, bool b, bool c, bytes32 d',
        ['0x00000000000000000000000000000000000000ff', true, false, `0x${'ab'.repeat(32)}`],
      ],
      ['int256 a, int48 b, uint48 c, uint64 d', [-5n, -3, 2 ** 40, 2n ** 50n]],
      ['bytes a, string b, bytes4 c', ['0x1234', '', '0xdeadbeef']],
    ] as const;
    for (const [signature, values] of cases) {
      const params = parseAbiParameters(signature);
      const data = encodeAbiParameters(params, values as never);
      expect(decodeWords(params, data)).toEqual(values);
    }
  });

  it('leaves arrays and structs to viem', () => {
    const params = parseAbiParameters('uint256[] a, string b');
    const data = encodeAbiParameters(params, [[1n, 2n], 'x']);
    expect(decodeWords(params, data)).toEqual([[1n, 2n], 'x']);
  });
});
