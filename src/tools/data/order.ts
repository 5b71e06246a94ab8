/**
 * A synthetic token task for graphs/text.yaml: "does token A come before
 * token B?". Each sequence is 5 to 40 tokens long and holds A (id 1) and B
 * (id 2) once each, at random positions, among filler tokens (ids 3–15); it is
 * padded with 0 to 40. The label is 1 when A comes first. Every filler token
 * and both positions are uniform, so the classes are balanced (the majority
 * baseline is 0.5) and only the order tells them apart: a bag of tokens (a
 * mean of embeddings) cannot do better than the baseline, a recurrent
 * encoder can. Deterministic (a 32-bit LCG per split), so a test can make the
 * same files.
 *
 * Written as NPY, uint8 (the NPY loader reads any integer dtype): ids
 * [N, 40], labels [N] and lengths [N] (what `feature_dtype: int32` and a
 * split's `lengths` file feed as int32 batch.features and batch.lengths).
 */
import { dump } from 'npyjs';

export const ORDER_MAX_LENGTH = 40;
export const ORDER_MIN_LENGTH = 5;
/** 0 pads, 1 is A, 2 is B, 3–15 are fillers. */
export const ORDER_VOCAB_SIZE = 16;
export const ORDER_PAD = 0;
export const ORDER_A = 1;
export const ORDER_B = 2;

export interface OrderSplit {
  readonly ids: Uint8Array;
  readonly labels: Uint8Array;
  readonly lengths: readonly number[];
  readonly count: number;
}

/** The default splits: 6000 training sequences, 2000 test ones, from seeds of their own. */
export const ORDER_SPLITS = { train: { count: 6000, seed: 1 }, test: { count: 2000, seed: 2 } } as const;

function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  // An integer uniform in [0, n), from the high bits.
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

export function orderSplit(count: number, seed: number): OrderSplit {
  const next = lcg(seed);
  const ids = new Uint8Array(count * ORDER_MAX_LENGTH);
  const labels = new Uint8Array(count);
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) {
    const length = ORDER_MIN_LENGTH + next(ORDER_MAX_LENGTH - ORDER_MIN_LENGTH + 1);
    const a = next(length);
    let b = next(length - 1);
    if (b >= a) b += 1;
    const row = i * ORDER_MAX_LENGTH;
    for (let t = 0; t < length; t++) ids[row + t] = t === a ? ORDER_A : t === b ? ORDER_B : 3 + next(ORDER_VOCAB_SIZE - 3);
    labels[i] = a < b ? 1 : 0;
    lengths.push(length);
  }
  return { ids, labels, lengths, count };
}

/** The NPY files of a split: `<split>-ids.npy`, `<split>-labels.npy` and `<split>-lengths.npy`. */
export function orderNpy(split: OrderSplit): { ids: Uint8Array; labels: Uint8Array; lengths: Uint8Array } {
  return {
    ids: new Uint8Array(dump(split.ids, [split.count, ORDER_MAX_LENGTH])),
    labels: new Uint8Array(dump(split.labels, [split.count])),
    lengths: new Uint8Array(dump(Uint8Array.from(split.lengths), [split.count])),
  };
}
