/**
 * The read-only Kubernetes API of the embedded cluster (core/v1, apps/v1, autoscaling/v2 and
 * their discovery), served beside the metrics groups.
 * @module
 */
export {
  kubeRouter,
  scaleOfDeployment,
  type KubeObjectsReader,
  type KubeRoutesOptions,
} from './router.js';
