/**
 * The machine's arithmetic ceiling for graphc's wasm GEMM, for `graphc bench
 * --gemm` to set the measured GFLOP/s against: WebAssembly SIMD is 128 bits
 * wide (4 float lanes) whatever the processor's own vectors, and each
 * fused multiply-add is 2 flops, so one core peaks at
 * FMA ports × 4 lanes × 2 × frequency. The ports come from the CPU model's
 * name (every x86 core since Haswell and Zen issues two vector FMAs a
 * cycle; the small Atom-line cores one), the frequency from the model name
 * ("@ 2.60GHz"), else from what the system reports.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Ceiling {
  readonly model: string;
  readonly cores: number;
  /** Float lanes per WebAssembly SIMD vector. */
  readonly lanes: number;
  readonly fmaPorts: number;
  /** Why that many ports. */
  readonly portsBasis: string;
  /** GHz, and where it was read; undefined when nothing says. */
  readonly ghz: number | undefined;
  readonly ghzBasis: string;
  /** GFLOP/s of one core, and of all (undefined without a frequency). */
  readonly perCore: number | undefined;
  readonly total: number | undefined;
}

/** FMA ports by CPU model name. */
export function fmaPorts(model: string): { ports: number; basis: string } {
  if (/\batom\b|goldmont|tremont|celeron(\(r\))? n\d|pentium(\(r\))? (silver|n\d)/i.test(model)) return { ports: 1, basis: 'Atom-line core: one FMA unit' };
  if (/\b(epyc|ryzen|threadripper)\b/i.test(model)) return { ports: 2, basis: 'AMD Zen: two FMA pipes' };
  if (/intel|xeon/i.test(model)) return { ports: 2, basis: 'Intel Haswell or newer: two FMA ports' };
  return { ports: 2, basis: 'model unknown to graphc: two FMA ports assumed' };
}

/** The frequency: from the model name, else os.cpus(), else /proc/cpuinfo (Linux). */
export function frequency(model: string, reported: number, cpuinfo: () => string | undefined): { ghz: number | undefined; basis: string } {
  const named = /@\s*([\d.]+)\s*GHz/i.exec(model);
  if (named) return { ghz: Number(named[1]), basis: 'from the model name' };
  if (reported > 0) return { ghz: reported / 1000, basis: 'as the system reports it' };
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo() ?? '');
  if (mhz) return { ghz: Number(mhz[1]) / 1000, basis: 'from /proc/cpuinfo' };
  return { ghz: undefined, basis: 'unknown' };
}

export function machineCeiling(): Ceiling {
  const list = cpus();
  const model = list[0]?.model?.trim() || 'CPU';
  const { ports, basis: portsBasis } = fmaPorts(model);
  const { ghz, basis: ghzBasis } = frequency(model, list[0]?.speed ?? 0, () => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return undefined;
    }
  });
  const lanes = 4;
  const perCore = ghz === undefined ? undefined : ports * lanes * 2 * ghz;
  return { model, cores: list.length, lanes, fmaPorts: ports, portsBasis, ghz, ghzBasis, perCore, total: perCore === undefined ? undefined : perCore * list.length };
}

/** One line: the ceiling and how it was reckoned. */
export function describeCeiling(c: Ceiling): string {
  const how = `${c.fmaPorts} FMA port${c.fmaPorts === 1 ? '' : 's'} (${c.portsBasis}) × ${c.lanes} lanes (128-bit WebAssembly SIMD) × 2 flops`;
  if (c.perCore === undefined) return `ceiling: unknown (frequency unknown): ${how} per cycle per core, ${c.cores} cores`;
  return `ceiling: ${c.perCore.toFixed(1)} GFLOP/s per core, ${c.total!.toFixed(1)} on ${c.cores} cores: ${how} × ${c.ghz!.toFixed(2)} GHz (${c.ghzBasis}); ${c.model}`;
}
