/** The sweep strategies: one line each. A trial list is the union of what each contributes. */
import { grid } from './grid.js';
import { random } from './random.js';
import type { SweepStrategy } from './strategy.js';

export const STRATEGIES: readonly SweepStrategy[] = [grid, random];
