/**
 * The view contract. A view of the page is two files of one name: this side
 * (`src/tools/board/views/<name>.ts`, its data as JSON and, optionally, its
 * live events) and the page's side (`board/views/<name>.js`, drawing them).
 * The server answers /api/<name>/<id> with `data` and /events/<name>/<id>
 * with `stream`; the list of views is views/index.ts (and board/views/index.js).
 * To add a view: write both files and add each to its list.
 */
import type { BoardRoot, Located } from '../paths.js';
import type { BoardIndex } from '../scan.js';
import type { EventStream } from '../stream.js';

export interface BoardContext {
  readonly roots: readonly BoardRoot[];
  readonly index: BoardIndex;
  /** How often folders are looked at besides fs.watch, in ms. */
  readonly pollMs: number;
}

export interface ViewRequest {
  /** The run or sweep folder the URL names, for views that take one. */
  readonly target?: Located;
  /** Further folders named in the query (`?run=<id>&run=<id>`), each checked as the target is. */
  readonly others: readonly Located[];
  readonly query: URLSearchParams;
}

/** A 404 for the page: the thing the view was asked for is not (or no longer) there. */
export class NotHere extends Error {}

export interface BoardView {
  /** The name in URLs and of the page's file. */
  readonly name: string;
  /** What the view shows, in a line. */
  readonly summary: string;
  /** Whether the URL names a folder after the view's name (/api/run/<id>). */
  readonly takesTarget: boolean;
  data(ctx: BoardContext, request: ViewRequest): unknown;
  /** Sends events until `events` closes. */
  stream?(ctx: BoardContext, request: ViewRequest, events: EventStream): void;
}
