/** What `graphc bundle` tells the page about the model it bundled (the entry passes it to startPage). */
import type { PageBackendRequest } from './backend.js';
import type { PageSchedule } from './train.js';


export interface PageConfig {
  readonly name: string;
  readonly description: string;
  /** The spec's path as bundle was given it: checkpoints name it, so `graphc eval` recompiles it. */
  readonly source: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly seed: number;
  readonly schedule: PageSchedule;
  readonly backend: PageBackendRequest;
  /** The node whose values classify a drawn digit or a form's example, and whether they are logits. */
  readonly output?: { readonly node: string; readonly needsSoftmax: boolean };
  /** What the page trains on: MNIST, or the spec's own table (files.ts), with what its form shows. */
  readonly data: { readonly kind: 'mnist' } | TableInfo;
}

/** A table's splits as graphc bundle wrote them (data/table.json), and what a form for one example needs. */
export interface TableInfo {
  readonly kind: 'table';
  /** One feature column's name per input of the form, in the features' order. */
  readonly columns: readonly string[];
  /** Class names (a classifier), else the regression's target columns. */
  readonly classes?: readonly string[];
  readonly targets?: readonly string[];
  /** The features' scale (train.dataset.scale), applied to a form's values as training applied it. */
  readonly scale: number;
  /** The node whose values a regression predicts (a classifier's is `output`). */
  readonly prediction?: string;
}
