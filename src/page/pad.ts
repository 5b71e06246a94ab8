/// <reference lib="dom" />
/**
 * A drawing pad for a 28 × 28 digit: white strokes on black, as MNIST's
 * digits are, drawn with the mouse (or a finger) on a large canvas and
 * averaged down to 28 × 28 pixels in [0, 1] when the stroke ends.
 */
const SIDE = 28;
const SCALE = 10;

export class DigitPad {
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;

  constructor(
    host: HTMLElement,
    private readonly onDigit: (pixels: Float32Array) => void,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = this.canvas.height = SIDE * SCALE;
    this.canvas.id = 'pad-canvas';
    host.prepend(this.canvas);
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    const at = (event: PointerEvent): [number, number] => {
      const box = this.canvas.getBoundingClientRect();
      return [((event.clientX - box.left) * this.canvas.width) / box.width, ((event.clientY - box.top) * this.canvas.height) / box.height];
    };
    this.canvas.addEventListener('pointerdown', (event) => {
      this.drawing = true;
      this.context.beginPath();
      this.context.moveTo(...at(event));
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!this.drawing) return;
      this.context.lineTo(...at(event));
      this.context.stroke();
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.onDigit(this.pixels());
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointerleave', end);
    host.querySelector('button')?.addEventListener('click', () => this.clear());
  }

  clear(): void {
    const c = this.context;
    c.fillStyle = 'black';
    c.fillRect(0, 0, this.canvas.width, this.canvas.height);
    c.strokeStyle = 'white';
    c.lineWidth = 2.2 * SCALE;
    c.lineCap = c.lineJoin = 'round';
  }

  /** The drawing as MNIST pixels: each 10 × 10 block's mean brightness. */
  pixels(): Float32Array {
    const { data } = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const out = new Float32Array(SIDE * SIDE);
    for (let y = 0; y < SIDE * SCALE; y++) {
      for (let x = 0; x < SIDE * SCALE; x++) out[Math.floor(y / SCALE) * SIDE + Math.floor(x / SCALE)]! += data[4 * (y * SIDE * SCALE + x)]! / 255;
    }
    return out.map((v) => v / (SCALE * SCALE));
  }
}
