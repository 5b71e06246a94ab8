/**
 * A PNG as MNIST pixels: 28 × 28 grey values in [0, 1], a light digit on a
 * dark background. Colour is reduced to luminance and transparency composited
 * over the background; a picture that is mostly light (a dark digit drawn on
 * white) is inverted; a larger picture is padded to a square and shrunk by
 * averaging the pixels each of the 28 × 28 cells covers.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { fail } from '../../common/diagnostics/diagnostic.js';

export const SIDE = 28;

export interface DigitImage {
  /** [784] row-major, 0 = background, 1 = ink. */
  readonly pixels: Float32Array;
  readonly width: number;
  readonly height: number;
  /** True when the picture was dark-on-light and was inverted. */
  readonly inverted: boolean;
}

export function readDigitPng(path: string): DigitImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return fail('GC755', { file: path, reason: 'unreadable', osError: error instanceof Error ? error.message : String(error) });
  }
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    return fail('GC755', { file: path, reason: 'not_png', decoderMessage: error instanceof Error ? error.message : String(error) });
  }
  if (png.width < SIDE || png.height < SIDE) {
    fail('GC755', { file: path, reason: 'too_small', width: png.width, height: png.height, side: SIDE });
  }
  return digitFromRgba(png.data, png.width, png.height);
}

/** RGBA bytes → MNIST pixels (see the file comment). */
export function digitFromRgba(rgba: Uint8Array, width: number, height: number): DigitImage {
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const [r, g, b, a] = [rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!, rgba[4 * i + 3]!];
    // Rec. 601 luminance; transparent pixels show the (light) page behind them.
    const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    grey[i] = (luminance * a) / 255 + (1 - a / 255);
  }
  let mean = 0;
  for (const v of grey) mean += v;
  mean /= grey.length;
  const inverted = mean > 0.5;
  if (inverted) for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i]!;
  // A fully transparent pixel composites to light and, after inversion, to the dark background.
  return { pixels: shrinkToSquare(grey, width, height, SIDE), width, height, inverted };
}

/** Pads to a centred square with background (0) and averages it down to side × side. */
function shrinkToSquare(grey: Float32Array, width: number, height: number, side: number): Float32Array {
  const size = Math.max(width, height);
  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - height) / 2);
  const at = (x: number, y: number): number => {
    const sx = x - left;
    const sy = y - top;
    return sx >= 0 && sx < width && sy >= 0 && sy < height ? grey[sy * width + sx]! : 0;
  };
  const out = new Float32Array(side * side);
  const cell = size / side;
  for (let oy = 0; oy < side; oy++) {
    for (let ox = 0; ox < side; ox++) {
      // Area average: each source pixel counts by how much of it the cell covers.
      const x0 = ox * cell;
      const y0 = oy * cell;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y0 + cell); y++) {
        const wy = Math.min(y + 1, y0 + cell) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x0 + cell); x++) {
          const wx = Math.min(x + 1, x0 + cell) - Math.max(x, x0);
          sum += at(x, y) * wx * wy;
        }
      }
      out[oy * side + ox] = sum / (cell * cell);
    }
  }
  return out;
}
