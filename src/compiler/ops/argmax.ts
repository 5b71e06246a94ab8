import { argExtremeOp } from './shared/arg_extreme.js';

export const argmax = argExtremeOp('argmax', 'argMax', 'largest');
