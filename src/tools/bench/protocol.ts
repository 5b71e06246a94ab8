/**
 * The reference notebook's speed protocol: seconds per 500 training batches (batch 100)
 * plus 100 test batches. A bench that times exactly that many reports their
 * sum; one that times fewer extrapolates from the medians.
 */
import { summarize } from './stats.js';

export const SEED_PROTOCOL = { trainSteps: 500, evalBatches: 100 } as const;

export interface ProtocolEstimate {
  readonly seconds: number;
  readonly extrapolated: boolean;
}

export function protocolSeconds(trainMs: readonly number[], evalMs: readonly number[]): ProtocolEstimate {
  const { trainSteps, evalBatches } = SEED_PROTOCOL;
  if (trainMs.length === trainSteps && evalMs.length === evalBatches) {
    return { seconds: (sum(trainMs) + sum(evalMs)) / 1000, extrapolated: false };
  }
  return { seconds: (trainSteps * summarize(trainMs).median + evalBatches * summarize(evalMs).median) / 1000, extrapolated: true };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
