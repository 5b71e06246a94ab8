/**
 * Runs one trial as `graphc run` in a child process, into its run folder:
 * from the start, or resumed from the folder's checkpoint when it has one.
 * The protocol between the two (arguments, exit with the parent, progress and
 * verdicts, the final result) is runtime/trial_protocol.ts.
 */
import { fileURLToPath } from 'node:url';
import { spawnTrial, trialArguments, type TrialHooks, type TrialOutcome, type TrialRun } from '../../runtime/trial_protocol.js';

const GRAPHC = fileURLToPath(new URL('../../../bin/graphc.js', import.meta.url));

export function runTrial(run: TrialRun, hooks: TrialHooks = {}): Promise<TrialOutcome> {
  return spawnTrial(GRAPHC, trialArguments(run), run.out, hooks);
}
