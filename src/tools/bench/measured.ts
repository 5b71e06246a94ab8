/** A timing's summaries: what every bench row reports, for graphc and its baseline alike. */
import { protocolSeconds, type ProtocolEstimate } from './protocol.js';
import { summarize, type Summary } from './stats.js';
import type { PhaseTimes } from './timing.js';

export interface Measured {
  readonly train: Summary;
  readonly eval: Summary;
  readonly protocol: ProtocolEstimate;
}

export function measured(times: PhaseTimes): Measured {
  return { train: summarize(times.train), eval: summarize(times.eval), protocol: protocolSeconds(times.train, times.eval) };
}
