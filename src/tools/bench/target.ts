/** What a bench times, one row at a time: a spec with --set overrides. */

/** What one bench row times: a spec with --set overrides, and its place in the seed's table when it has one. */
export interface BenchTarget {
  readonly spec: string;
  readonly set: readonly string[];
  readonly row?: { readonly model: string; readonly layers: number };
}

/** "graphs/lstm.yaml layer_num=2". */
export function describeTarget(target: BenchTarget): string {
  return [target.spec, ...target.set].join(' ');
}
