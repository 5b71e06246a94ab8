/**
 * The one tfjs instance that graphc's runtime, its kernels and every generated
 * module share. Generated modules import `tf` from 'graphc/runtime' rather
 * than '@tensorflow/tfjs' so that a module compiled outside the project still
 * resolves to this instance.
 */
import * as tf from '@tensorflow/tfjs';
import { platform } from './platform/platform.js';

/**
 * tfjs's own console lines (the "Hi, looks like you are running TensorFlow.js
 * in Node.js" banner, platform notes) reach the terminal only with --verbose:
 * its PROD flag silences them and nothing else.
 */
export function quietTfjs(): void {
  tf.env().set('PROD', platform().env('GRAPHC_VERBOSE') !== '1');
}

quietTfjs();

export { tf };
