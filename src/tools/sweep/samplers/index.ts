/** The samplers of `graphc sweep --sampler`: one line each. */
import { grid } from './grid.js';
import { random } from './random.js';
import type { Sampler } from './sampler.js';
import { tpe } from './tpe.js';

export const SAMPLERS: readonly Sampler[] = [grid, random, tpe];
export const SAMPLER_NAMES = SAMPLERS.map((s) => s.name);

export function samplerNamed(name: string): Sampler | undefined {
  return SAMPLERS.find((s) => s.name === name);
}
