/** The GRU's per-step loops (recurrent/gru_math.ts) on the wasm heap, vectorised where the rows allow. */
import { GRU_LOOPS } from '../../recurrent/gru_math.js';
import type { GruLoops, LaterStep } from '../../recurrent/loops.js';
import type { Mat } from '../../recurrent/matrix.js';
import { at, vectorRows, type Elementwise } from './elementwise.js';

export function simdGruLoops(simd: Elementwise): GruLoops {
  return {
    resetProduct(gates, hPrev, rh) {
      if (!vectorRows(hPrev.rows, hPrev.cols)) return GRU_LOOPS.resetProduct(gates, hPrev, rh);
      simd.gruResetProduct(at(gates), at(hPrev), at(rh), hPrev.rows, hPrev.cols);
    },
    updateState(gates, candidate, hPrev, hNext, out, t, steps) {
      const { rows, cols: units } = hPrev;
      if (!vectorRows(rows, units)) return GRU_LOOPS.updateState(gates, candidate, hPrev, hNext, out, t, steps);
      // Output row b·T + t: consecutive batch rows are T rows apart.
      simd.gruUpdateState(at(gates), at(candidate), at(hPrev), at(hNext), at(out) + t * units * 4, steps * units * 4, rows, units);
    },
    stepGradient(dy, t, steps, later: LaterStep<Mat> | null, gates, candidate, dhStep, dCandidate) {
      const { rows, cols: units } = dhStep;
      if (!vectorRows(rows, units)) return GRU_LOOPS.stepGradient(dy, t, steps, later, gates, candidate, dhStep, dCandidate);
      const [carry, dResetState, laterGates] = later === null ? [0, 0, 0] : [at(later.carry), at(later.dResetState), at(later.gates)];
      simd.gruStepGradient(
        at(dy) + t * units * 4, steps * units * 4, later === null ? 0 : 1, carry, dResetState, laterGates,
        at(gates), at(candidate), at(dhStep), at(dCandidate), rows, units,
      );
    },
    gateGradients(dhStep, dResetState, hPrev, gates, candidate, dGates) {
      const { rows, cols: units } = dhStep;
      if (!vectorRows(rows, units)) return GRU_LOOPS.gateGradients(dhStep, dResetState, hPrev, gates, candidate, dGates);
      simd.gruGateGradients(at(dhStep), dResetState === null ? 0 : 1, dResetState === null ? 0 : at(dResetState), at(hPrev), at(gates), at(candidate), at(dGates), rows, units);
    },
  };
}
