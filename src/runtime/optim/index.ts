/** Optimizers with TF1's exact update rules, behind the one interface the training session uses. */
export { Adam, type AdamConfig, type AdamSlotState, type AdamState } from './adam.js';
export { createOptimizer } from './create.js';
export type { Optimizer, OptimizerState } from './optimizer.js';
export { createSgd } from './sgd.js';
export { clipGradients, globalNorm, type ClipConfig } from './clip.js';
export { learningRateAt, type LearningRateSchedule } from './schedules.js';
export { Updater } from './updater.js';
