import { argExtremeOp } from './shared/arg_extreme.js';

export const argmin = argExtremeOp('argmin', 'argMin', 'smallest');
