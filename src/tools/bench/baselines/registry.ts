/** The baselines by spec name. */
import { bigruBaseline } from './bigru.js';
import { cnnBaseline } from './cnn.js';
import { convnetBaseline } from './convnet.js';
import type { BaselineDefinition } from './definition.js';
import { gruBaseline, lstmBaseline } from './recurrent.js';

export const BASELINES: Readonly<Record<string, BaselineDefinition>> = {
  bigru: bigruBaseline,
  lstm: lstmBaseline,
  gru: gruBaseline,
  cnn: cnnBaseline,
  convnet: convnetBaseline,
};

export function findBaseline(model: string): BaselineDefinition | undefined {
  return Object.hasOwn(BASELINES, model) ? BASELINES[model] : undefined;
}

