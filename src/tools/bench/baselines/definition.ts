/** What one hand-written baseline provides. */
import type { tf } from '../../../runtime/tf.js';
import type { SpecParams } from './params.js';

export interface BaselineDefinition {
  /** The model in tfjs-layers terms, for reports. */
  describe(params: SpecParams): string;
  /** The uncompiled model, sized from the spec's params. */
  build(params: SpecParams): tf.Sequential;
}
