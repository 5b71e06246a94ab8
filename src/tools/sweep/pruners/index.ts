/** The pruners of `graphc sweep --pruner`: one line each. */
import { asha } from './asha.js';
import { medianPruner } from './median.js';
import type { Pruner } from './pruner.js';

export const PRUNERS: readonly Pruner[] = [asha, medianPruner];
export const PRUNER_NAMES = PRUNERS.map((p) => p.name);

export function prunerNamed(name: string): Pruner | undefined {
  return PRUNERS.find((p) => p.name === name);
}
