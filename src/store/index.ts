/**
 * The metrics store: model, reader and sink seams, and the indexed in-memory implementation.
 * @module
 */
export * from './model.js';
export type * from './readers.js';
export * from './drop-reasons.js';
export * from './merge.js';
export * from './rate.js';
export * from './resource-store.js';
export * from './custom-store.js';
export * from './rated-resource-store.js';
