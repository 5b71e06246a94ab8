import { describe, expect, it } from 'vitest';
import { protocolSeconds, SEED_PROTOCOL } from '../../../src/tools/bench/protocol.js';
import { quantile, summarize } from '../../../src/tools/bench/stats.js';

describe('summaries', () => {
  it('median and quartiles interpolate between samples, in any input order', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, p25: 2, p75: 4, min: 1, max: 5, count: 3 });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
    expect(summarize([7]).median).toBe(7);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('the reference protocol', () => {
  it('is the sum of the times when exactly 500 training and 100 test batches were timed', () => {
    const train = Array.from({ length: SEED_PROTOCOL.trainSteps }, (_, i) => (i === 0 ? 1000 : 10));
    const evaluation = Array.from({ length: SEED_PROTOCOL.evalBatches }, () => 2);
    expect(protocolSeconds(train, evaluation)).toEqual({ seconds: (1000 + 499 * 10 + 100 * 2) / 1000, extrapolated: false });
  });

  it('is extrapolated from the medians otherwise (an outlier does not move it)', () => {
    expect(protocolSeconds([10, 12, 900], [3, 5])).toEqual({ seconds: (500 * 12 + 100 * 4) / 1000, extrapolated: true });
  });
});
