/**
 * Adam on webgpu, through the fused GraphcAdamUpdate kernel, against Adam's
 * composite ops on the cpu backend: the same variables, m and v after several
 * steps (1e-6), and slot state that moves between the two layouts.
 */
import { describe } from 'vitest';
import { itMatchesCompositeAdam } from '../adam_helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const gpu = await webgpuForTests();

describe.skipIf(!gpu.available)(`Adam on webgpu (fused GraphcAdamUpdate) ≡ composite Adam${gpu.titleSuffix}`, () => {
  itMatchesCompositeAdam((where, fn) => onBackend(where === 'cpu' ? 'cpu' : 'webgpu', fn));
});
