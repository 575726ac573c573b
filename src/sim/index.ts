/**
 * The embedded simulated cluster of `npm start`: a pure world stepped on a compressed clock, the
 * php-apache walkthrough, its kubelet state and simulated custom/external metrics, behind the
 * ClusterView, HpaSource and ScaleWriter seams.
 * @module
 */
export { scaledTime, type ScaledTime, type ScaledTimeOptions } from './clock.js';
export { loadAt, walkthroughLoad, type LoadSchedule, type LoadStep } from './load.js';
export {
  SimWorld,
  type SimDeploymentSpec,
  type SimPodState,
  type SimWorldOptions,
} from './world.js';
export { deploymentObject, nodeObject, podObject, scaleOf } from './objects.js';
export { SimCluster, type SimClusterOptions } from './cluster.js';
export {
  walkthroughHpa,
  walkthroughWorld,
  walkthroughName,
  walkthroughNamespace,
  type WalkthroughOptions,
} from './php-apache.js';
export {
  simulatedMetricsCycle,
  podsMetricName,
  externalMetricName,
  externalQueue,
} from './metrics-source.js';
export { syncLine, type SyncRecord } from './sync-line.js';
export { kubeletNodes } from './kubelet-state.js';
export { SimDriver, type SimDriverOptions } from './driver.js';
export {
  instructions,
  curlCommand,
  embeddedPaths,
  type InstructionsInput,
} from './instructions.js';
