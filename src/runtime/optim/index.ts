/** Optimizers with TF1's exact update rules. */
export { Adam, type AdamConfig, type AdamSlotState, type AdamState } from './adam.js';
