/** The diagnostics of sweeps, locally and on a queue. */
import { entry } from './entry.js';

export type SweepSearchProblem =
  | { readonly kind: 'no_space' }
  | { readonly kind: 'grid_sampler_random' }
  | { readonly kind: 'without'; readonly needs: string }
  | { readonly kind: 'unbounded' }
  | { readonly kind: 'repeat' }
  | { readonly kind: 'budget_syntax' }
  | { readonly kind: 'rung_not_evaluated'; readonly evalEvery: number }
  | { readonly kind: 'reduction' };

function describeSweepSearch(p: SweepSearchProblem): string {
  switch (p.kind) {
    case 'no_space':
      return 'a sampler needs something to search: give --random NAME=DIST (or --grid NAME=V1,V2,…)';
    case 'grid_sampler_random':
      return 'the grid sampler walks --grid values only; use --sampler random or tpe with --random';
    case 'without':
      return `only means something with ${p.needs}`;
    case 'unbounded':
      return 'a sampler draws until --samples N or --budget is reached: give one of them';
    case 'repeat':
      return 'a searching sweep runs each draw once (its draws are the repeats); leave out --repeat';
    case 'budget_syntax':
      return 'expected total training steps (20000) or a wall time (90s, 30m, 2h)';
    case 'rung_not_evaluated':
      return `the pruner decides at evaluations, every ${p.evalEvery} steps here: give a multiple of ${p.evalEvery}`;
    case 'reduction':
      return 'the reduction factor is a whole number of 2 or more';
  }
}

export type SweepArgumentProblem =
  | { readonly kind: 'syntax'; readonly expected: string }
  | { readonly kind: 'empty_value' }
  | { readonly kind: 'duplicate_value'; readonly value: string }
  | { readonly kind: 'unknown_distribution'; readonly name: string }
  | { readonly kind: 'bounds'; readonly distribution: string; readonly reason: string }
  | { readonly kind: 'both_varied'; readonly param: string }
  | { readonly kind: 'samples_without_random' }
  | { readonly kind: 'random_without_samples' }
  | { readonly kind: 'bad_name'; readonly suggestion: string };

function describeSweepArgument(p: SweepArgumentProblem): string {
  switch (p.kind) {
    case 'syntax':
      return `expected ${p.expected}`;
    case 'empty_value':
      return 'has an empty value; list at least one value, separated by commas (choice: by |)';
    case 'duplicate_value':
      return `lists ${p.value} twice`;
    case 'unknown_distribution':
      return `no distribution '${p.name}'; use uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH or choice:A|B|C`;
    case 'bounds':
      return `${p.distribution} needs ${p.reason}`;
    case 'both_varied':
      return `'${p.param}' is also given by another --grid, --random or --set; give each param once`;
    case 'samples_without_random':
      return 'draws from no distribution; add --random NAME=DIST';
    case 'random_without_samples':
      return 'needs --samples N, the number of draws';
    case 'bad_name':
      return `is not a usable sweep name (letters, digits, '.', '_' and '-'), e.g. '${p.suggestion}'`;
  }
}

export type SweepMismatchProblem = { readonly kind: 'spec' } | { readonly kind: 'options' } | { readonly kind: 'version'; readonly was: string; readonly now: string };

function describeSweepMismatch(p: SweepMismatchProblem): string {
  switch (p.kind) {
    case 'spec':
      return 'another spec text';
    case 'options':
      return 'other --grid, --random, --set, --repeat, --seed or schedule options';
    case 'version':
      return `graphc ${p.was}, this is graphc ${p.now}`;
  }
}

export type QueueUrlProblem =
  | { readonly kind: 'syntax' }
  | { readonly kind: 'scheme'; readonly scheme: string }
  | { readonly kind: 'host' }
  | { readonly kind: 'db'; readonly db: string };

function describeQueueUrl(p: QueueUrlProblem): string {
  switch (p.kind) {
    case 'syntax':
      return 'not a URL; expected redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS)';
    case 'scheme':
      return `'${p.scheme}' is not redis or rediss; expected redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS)`;
    case 'host':
      return 'names no host';
    case 'db':
      return `'${p.db}' is not a database number`;
  }
}

export const sweepsDiagnostics = {
  // GC76x: sweeps
  GC760: entry<{ option: string; arg: string; problem: SweepArgumentProblem }>('error', 'sweep_argument', (p) =>
    `${p.option} ${p.arg}: ${describeSweepArgument(p.problem)}`),
  GC761: entry<{ dir: string }>('error', 'not_a_sweep', (p) =>
    `${p.dir} holds no sweep.json, so it is not a sweep folder; give a name that \`graphc sweep\` ran (its folder is sweeps/<name>/)`),
  GC762: entry<{ name: string; problem: SweepMismatchProblem }>('error', 'sweep_mismatch', (p) =>
    `sweep '${p.name}' exists with ${describeSweepMismatch(p.problem)}; rerun it as it was, or give --name a new name`),
  // GC77x: sweeps on a queue (Redis)
  GC770: entry<{ url: string; problem: QueueUrlProblem }>('error', 'queue_url', (p) => `--queue ${p.url}: ${describeQueueUrl(p.problem)}`),
  GC771: entry<{ url: string; reason: string }>('error', 'queue_unreachable', (p) =>
    `cannot reach Redis at ${p.url}: ${p.reason}; is redis-server running there, and does it accept connections from this machine?`),
  GC772: entry<{ url: string; reason: string; hasPassword: boolean }>('error', 'queue_auth', (p) =>
    `Redis at ${p.url} refused ${p.hasPassword ? 'the password' : 'to serve without a password'} (${p.reason}); ${p.hasPassword ? 'check the password' : 'give one'} in --queue redis://:PASSWORD@host:port`),
  GC773: entry<{ trial: string; jobVersion: string; workerVersion: string }>('error', 'job_version', (p) =>
    `trial ${p.trial} was submitted by graphc ${p.jobVersion}, and this worker is graphc ${p.workerVersion}; run workers of the submitter's version`),
  GC774: entry<{ trial: string; bytes: number; limit: number }>('error', 'job_too_large', (p) =>
    `trial ${p.trial}'s job is ${p.bytes} bytes, over this worker's limit of ${p.limit} (graphc worker --max-job-bytes)`),
  GC775: entry<{ trial: string; field: string }>('error', 'job_malformed', (p) =>
    `job ${p.trial} is not a graphc trial: its data has no valid '${p.field}'`),
  GC776: entry<{ trial: string; sweep: string }>('error', 'trial_cancelled', (p) => `trial ${p.trial} was cancelled (graphc sweep cancel ${p.sweep})`),
  GC777: entry<{ name: string; url: string }>('error', 'unknown_queued_sweep', (p) =>
    `the queue at ${p.url} has no sweep named '${p.name}'; \`graphc sweep status --queue URL\` lists those it has`),
  // sweep-search: samplers, pruners, budgets (GC763–GC769, GC850–GC859)
  GC763: entry<{ option: string; arg: string; problem: SweepSearchProblem }>('error', 'sweep_search_argument', (p) =>
    `${p.option} ${p.arg}: ${describeSweepSearch(p.problem)}`),
} as const;
