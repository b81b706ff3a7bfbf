import { endianness } from 'node:os';

/** A batch of token ids as the model's int64 `input_ids` and `attention_mask`, row-major. */
export interface FixedLengthIds {
  ids: BigInt64Array;
  mask: BigInt64Array;
}

/** `rows` rows of `length` pads, masked out. */
export function paddedBatch(rows: number, length: number, padId: number): FixedLengthIds {
  const ids = new BigInt64Array(rows * length);
  if (padId !== 0) ids.fill(BigInt(padId));
  return { ids, mask: new BigInt64Array(rows * length) };
}

/** Writes row `r`'s ids and mask into a batch whose pads (non-negative ids) are already set. */
export function setRow(
  batch: FixedLengthIds,
  r: number,
  row: ArrayLike<number>,
  length: number,
  left: boolean,
): void {
  const start = r * length + (left ? length - row.length : 0);
  if (LITTLE_ENDIAN) {
    const ids32 = new Int32Array(batch.ids.buffer, batch.ids.byteOffset);
    const mask32 = new Int32Array(batch.mask.buffer, batch.mask.byteOffset);
    for (let j = 0; j < row.length; j++) {
      ids32[2 * (start + j)] = row[j]!;
      mask32[2 * (start + j)] = 1;
    }
  } else
    for (let j = 0; j < row.length; j++) {
      batch.ids[start + j] = BigInt(row[j]!);
      batch.mask[start + j] = 1n;
    }
}

const LITTLE_ENDIAN = endianness() === 'LE';
