/**
 * A checkpoint whose variables do not fit the model restoring it. It carries
 * a typed problem; the diagnostic catalogue words it (GC708 on resume, GC757
 * for trained-model commands).
 */
import { describeCheckpointFit, type CheckpointFitProblem } from '../common/diagnostics/catalogue.js';

export class CheckpointMismatch extends Error {
  constructor(readonly problem: CheckpointFitProblem) {
    super(describeCheckpointFit(problem));
    this.name = 'CheckpointMismatch';
  }
}
