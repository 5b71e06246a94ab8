import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/shared/diagnostics/diagnostic.js';
import { initBackend } from '../../src/runtime/backends.js';

async function failure(request: Parameters<typeof initBackend>[0]): Promise<GraphcError> {
  try {
    await initBackend(request);
  } catch (error) {
    if (error instanceof GraphcError) return error;
    throw error;
  }
  throw new Error(`${request} unexpectedly loaded`);
}

describe('backend selection', () => {
  it('auto falls back to wasm here and says why it skipped the native backend', async () => {
    const info = await initBackend('auto');
    // This machine cannot download libtensorflow, so tfjs-node(-gpu) is absent.
    expect(info.name).toBe('wasm');
    expect(info.device).toMatch(/WebAssembly SIMD/);
    expect(info.skipped.join('\n')).toMatch(/^tensorflow: @tensorflow\/tfjs-node-gpu: /);
  });

  it('an unavailable backend asked for by name is GC701 with the reason', async () => {
    const error = await failure('tensorflow');
    expect(error.diagnostics[0]!.code).toBe('GC701');
    expect(error.diagnostics[0]!.message).toMatch(/^backend 'tensorflow' is not available: @tensorflow\/tfjs-node-gpu: .*storage\.googleapis\.com/);
  });

  it('cpu is always there', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
  });
});
