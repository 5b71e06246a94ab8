/**
 * The per-step elementwise loops of the whole-sequence cells, as interfaces:
 * gru_math.ts and lstm_math.ts supply plain JavaScript ones, and a Device may
 * bring faster ones (wasm/simd).
 */
import type { Mat } from './mat.js';

/**
 * The GRU's elementwise loops between a step's GEMMs. Each works on one step's rows: gates rows are [r | u], 2·units wide.
 */
export interface GruLoops {
  resetProduct(gates: Mat, hPrev: Mat, rh: Mat): void;
  updateState(gates: Mat, candidate: Mat, hPrev: Mat, hNext: Mat, out: Mat, t: number, steps: number): void;
  stepGradient(dy: Mat, t: number, steps: number, later: LaterStep<Mat> | null, gates: Mat, candidate: Mat, dhStep: Mat, dCandidate: Mat): void;
  gateGradients(dhStep: Mat, dResetState: Mat | null, hPrev: Mat, gates: Mat, candidate: Mat, dGates: Mat): void;
}

/** What the step after this one (in processing order) passes back to it. */
export interface LaterStep<M extends Mat> {
  /** [da_r | da_u] @ W_ghᵀ of the later step. */
  readonly carry: M;
  /** drh of the later step. */
  readonly dResetState: M;
  readonly gates: M;
}

/**
 * The LSTM's elementwise loops of a step. Gates rows are
 * [i | j | f | o], 4·units wide.
 */
export interface LstmLoops {
  updateCell(gates: Mat, cPrev: Mat, cNext: Mat, cellTanh: Mat): void;
  updateState(gates: Mat, cellTanh: Mat, hNext: Mat, out: Mat, t: number, steps: number): void;
  stepGradient(dy: Mat, t: number, steps: number, last: boolean, gates: Mat, cellTanh: Mat, cPrev: Mat, dhCarry: Mat, dcCarry: Mat, dGates: Mat): void;
}
