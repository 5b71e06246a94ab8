/** The LSTM's per-step loops (recurrent/lstm_math.ts) on the wasm heap, vectorised where the rows allow. */
import { LSTM_LOOPS } from '../../recurrent/lstm_math.js';
import type { LstmLoops } from '../../recurrent/loops.js';
import { at, vectorRows, type Elementwise } from './elementwise.js';

export function simdLstmLoops(simd: Elementwise): LstmLoops {
  return {
    updateCell(gates, cPrev, cNext, cellTanh) {
      if (!vectorRows(cPrev.rows, cPrev.cols)) return LSTM_LOOPS.updateCell(gates, cPrev, cNext, cellTanh);
      simd.lstmUpdateCell(at(gates), at(cPrev), at(cNext), at(cellTanh), cPrev.rows, cPrev.cols);
    },
    updateState(gates, cellTanh, hNext, out, t, steps) {
      const { rows, cols: units } = hNext;
      if (!vectorRows(rows, units)) return LSTM_LOOPS.updateState(gates, cellTanh, hNext, out, t, steps);
      // Output row b·T + t: consecutive batch rows are T rows apart.
      simd.lstmUpdateState(at(gates), at(cellTanh), at(hNext), at(out) + t * units * 4, steps * units * 4, rows, units);
    },
    stepGradient(dy, t, steps, last, gates, cellTanh, cPrev, dhCarry, dcCarry, dGates) {
      const { rows, cols: units } = cPrev;
      if (!vectorRows(rows, units)) return LSTM_LOOPS.stepGradient(dy, t, steps, last, gates, cellTanh, cPrev, dhCarry, dcCarry, dGates);
      simd.lstmStepGradient(
        at(dy) + t * units * 4, steps * units * 4, last ? 1 : 0, at(dhCarry), at(dcCarry),
        at(gates), at(cellTanh), at(cPrev), at(dGates), rows, units,
      );
    },
  };
}
