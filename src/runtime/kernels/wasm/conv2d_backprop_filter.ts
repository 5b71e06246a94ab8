/**
 * Conv2DBackpropFilter for the wasm backend. tfjs-backend-wasm 4.x has no such
 * kernel, so without it no convolutional network trains on wasm (tfjs-layers'
 * included). It is registered only where the backend lacks one, stock runs included.
 *
 * The filter gradient is itself a convolution:
 *   dW[kh, kw, ci, co] = Σ_{b, y, x} x_pad[b, y·s + kh, x·s + kw, ci] · dy[b, y, x, co]
 * With x transposed to [Ci, H, W, B] (its channels as the batch, its batch as
 * the channels) and dy to [Ho, Wo, B, Co] (as a filter), one wasm Conv2D, with
 * the forward stride as its dilation, yields [Ci, kh, kw, Co]. Measured at the
 * MNIST CNN's sizes it costs about what the forward convolution does; the
 * other composite route, the wasm Conv3DBackpropFilterV2 kernel over a depth of
 * 1, was 10–100× slower.
 */
import { tf } from '../../tf.js';

const KERNEL = 'Conv2DBackpropFilter';
const BACKEND = 'wasm';

type Shape4 = [number, number, number, number];

function conv2dBackpropFilter({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new Error(`wasm ${KERNEL} supports NHWC only, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format);
  const [, height, width] = x.shape as Shape4;
  const { top, left } = info.padInfo;
  // Padding after the input that the forward pass read; negative where its last rows or columns were never read.
  const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - top - height;
  const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - left - width;

  const run = (name: string, kernelInputs: tf.NamedTensorInfoMap, kernelAttrs: object): tf.TensorInfo =>
    tf.getKernel(name, BACKEND)!.kernelFunc({ inputs: kernelInputs, backend, attrs: kernelAttrs as tf.NamedAttrMap }) as tf.TensorInfo;
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo): tf.TensorInfo => (temporaries.push(t), t);

  let source = x;
  if (bottom < 0 || right < 0) {
    source = keep(run('Slice', { x }, { begin: [0, 0, 0, 0], size: [-1, height + Math.min(bottom, 0), width + Math.min(right, 0), -1] }));
  }
  const images = keep(run('Transpose', { x: source }, { perm: [3, 1, 2, 0] }));
  const filters = keep(run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
  const product = keep(
    run('Conv2D', { x: images, filter: filters }, {
      strides: [1, 1],
      pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    }),
  );
  const result = run('Transpose', { x: product }, { perm: [1, 2, 0, 3] });
  for (const t of temporaries) (backend as tf.KernelBackend).disposeData(t.dataId);
  return result;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = { kernelName: KERNEL, backendName: BACKEND, kernelFunc: conv2dBackpropFilter };
