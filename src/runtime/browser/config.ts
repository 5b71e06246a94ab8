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
  /** The node whose values classify a drawn digit, and whether they are logits. */
  readonly output?: { readonly node: string; readonly needsSoftmax: boolean };
}
