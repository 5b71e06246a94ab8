/**
 * MaxPoolGrad for the wasm backend. Stock tfjs-backend-wasm 4.x sends the
 * gradient of a window whose maximum is negative to the window's first
 * element (its argmax starts from 0 rather than from -∞), so a max-pool that
 * is not preceded by a ReLU trains on wrong gradients; the peer tests against
 * PyTorch found it.
 *
 * Each output's gradient goes to the first maximum of its window in row-major
 * order, as TF's MaxPoolGrad does; positions in SAME padding are never a maximum.
 */
import { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

type Shape4 = [number, number, number, number];

function maxPoolGrad({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;

  const heap = WasmHeap.of(backend);
  const dx = heap.allocate(input.shape);
  // Fetched after allocating: growing the heap replaces its views.
  const f32 = heap.f32;
  const xStart = heap.offsetOf(input) >> 2;
  const dyStart = heap.offsetOf(dy) >> 2;
  const dxStart = heap.offsetOf(dx) >> 2;
  f32.fill(0, dxStart, dxStart + batchSize * inHeight * inWidth * channels);

  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  for (let b = 0; b < batchSize; b++) {
    const image = b * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yFrom = Math.max(y0, 0);
      const yTo = Math.min(y0 + filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xFrom = Math.max(x0, 0);
        const xTo = Math.min(x0 + filterWidth, inWidth);
        const dyRow = dyStart + ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          let best = -1;
          let bestValue = -Infinity;
          for (let y = yFrom; y < yTo; y++) {
            for (let x = xFrom; x < xTo; x++) {
              const at = image + y * rowStride + x * channels + c;
              const value = f32[xStart + at]!;
              if (best < 0 || value > bestValue) {
                best = at;
                bestValue = value;
              }
            }
          }
          if (best >= 0) f32[dxStart + best] = f32[dxStart + best]! + f32[dyRow + c]!;
        }
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: tf.KernelConfig = { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad };
