/**
 * The one tfjs instance that graphc's runtime, its kernels and every generated
 * module share. Generated modules import `tf` from 'graphc/runtime' rather
 * than '@tensorflow/tfjs' so that a module compiled outside the project still
 * resolves to this instance.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
