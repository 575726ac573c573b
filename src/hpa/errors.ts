/**
 * A metric that could not be computed. The controller turns these into a ScalingActive=False
 * condition rather than failing the sync (horizontal.go getUnableComputeReplicaCountCondition), so
 * the engine throws them only inside one metric's computation and catches them there.
 * @module
 */
export class MetricError extends Error {
  override readonly name = 'MetricError';
}
