/**
 * The metrics store: model, reader and sink seams, and the indexed in-memory implementation.
 * @module
 */
export * from './model.js';
export type * from './readers.js';
