/**
 * The cluster view: the Kubernetes objects that selectors and the HPA engine need.
 * @module
 */
export type * from './view.js';
export type * from './types.js';
