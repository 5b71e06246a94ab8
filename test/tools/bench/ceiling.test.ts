/**
 * The ceiling `graphc bench --gemm` sets the GEMM against: FMA ports by CPU
 * model, the frequency from the model name, the system, or /proc/cpuinfo.
 */
import { describe, expect, it } from 'vitest';
import { describeCeiling, fmaPorts, frequency, machineCeiling } from '../../../src/tools/bench/ceiling.js';

describe('the ceiling', () => {
  it('counts FMA ports by CPU model', () => {
    expect(fmaPorts('Intel(R) Xeon(R) CPU @ 2.60GHz').ports).toBe(2);
    expect(fmaPorts('AMD EPYC 7B13').ports).toBe(2);
    expect(fmaPorts('Intel(R) Celeron(R) N4020 CPU @ 1.10GHz').ports).toBe(1);
    expect(fmaPorts('SiFive U74 (RISC-V)').basis).toBe('model unknown to graphc: two FMA ports assumed');
  });

  it('reads the frequency from the model name first, then the system, then /proc/cpuinfo', () => {
    expect(frequency('Intel(R) Xeon(R) CPU @ 2.60GHz', 3500, () => undefined)).toEqual({ ghz: 2.6, basis: 'from the model name' });
    expect(frequency('AMD EPYC', 2450, () => undefined)).toEqual({ ghz: 2.45, basis: 'as the system reports it' });
    expect(frequency('AMD EPYC', 0, () => 'processor\t: 0\ncpu MHz\t\t: 2596.134\n')).toEqual({ ghz: 2.596134, basis: 'from /proc/cpuinfo' });
    expect(frequency('AMD EPYC', 0, () => undefined)).toEqual({ ghz: undefined, basis: 'unknown' });
  });

  it('is ports × 4 lanes × 2 flops × GHz per core', () => {
    const c = { ...machineCeiling(), model: 'Intel(R) Xeon(R) CPU @ 2.60GHz', cores: 2, fmaPorts: 2, portsBasis: 'Intel Haswell or newer: two FMA ports', ghz: 2.6, ghzBasis: 'from the model name', perCore: 41.6, total: 83.2 };
    expect(describeCeiling(c)).toBe(
      'ceiling: 41.6 GFLOP/s per core, 83.2 on 2 cores: 2 FMA ports (Intel Haswell or newer: two FMA ports) × 4 lanes (128-bit WebAssembly SIMD) × 2 flops × 2.60 GHz (from the model name); Intel(R) Xeon(R) CPU @ 2.60GHz',
    );
    const here = machineCeiling();
    if (here.ghz !== undefined) expect(here.perCore).toBeCloseTo(here.fmaPorts * 4 * 2 * here.ghz, 6);
  });
});
