/**
 * Sweeps on a queue (BullMQ on Redis): what `graphc sweep --queue`, `graphc
 * sweep status|cancel --queue` and `graphc worker` call. Importing this
 * module loads neither bullmq nor ioredis: they are imported when a function
 * here first connects.
 */
export { cancelSweep, type CancelOutcome } from './cancel.js';
export { parseQueueUrl, redactUrl } from './connection.js';
export { queuedExitCode, runQueued, type QueuedOptions, type QueuedOutcome } from './submit.js';
export { formatStatus, queuedSweeps, sweepStatus, type QueuedTrialStatus, type SweepStatus } from './status.js';
export { DEFAULT_LOCK_DURATION_MS, runWorker, type WorkerControl, type WorkerSettings } from './worker.js';
