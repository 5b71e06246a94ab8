/** --sampler random: each draw independent of the others, from its own stream. */
import { draw } from '../strategies/random.js';
import type { Sampler } from './sampler.js';

export const random: Sampler = {
  name: 'random',
  draw: (space, _history, _index, { random: stream }) => Object.fromEntries(space.map(({ param, distribution }) => [param, draw(distribution, stream)])),
};
