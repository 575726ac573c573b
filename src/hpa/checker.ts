/**
 * A small validation toolkit for scenario parsing: every check records an issue with its field path
 * instead of stopping at the first (design habit 11: zod's issue shape, metrics-server Validate()).
 * @module
 */
import { selectorFromLabelSelector } from '../k8s/index.js';
import { ParseCache } from './parse-cache.js';

/** One problem with the input, e.g. `{ path: 'hpa.spec.maxReplicas', message: 'must be >= 1' }`. */
export interface Issue {
  path: string;
  message: string;
}

/** A JSON object as parsed, before validation gives it a type. */
export type Json = Record<string, unknown>;

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Collects issues; each method returns the checked value, or undefined when absent or invalid. */
export class Checker {
  readonly issues: Issue[] = [];
  /** Quantities repeat across pods; parse each distinct text once. */
  readonly #cache = new ParseCache();

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** A JSON object (not an array, not null). */
  object(value: unknown, path: string, required = true): Json | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    return value as Json;
  }

  array(value: unknown, path: string, required = true): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array');
      return undefined;
    }
    return value as unknown[];
  }

  string(
    value: unknown,
    path: string,
    opts: { required?: boolean; nonEmpty?: boolean } = {},
  ): string | undefined {
    if (value === undefined || value === null) {
      if (opts.required === true) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, 'must be a string');
      return undefined;
    }
    if (opts.nonEmpty === true && value === '') {
      this.add(path, 'must not be empty');
      return undefined;
    }
    return value;
  }

  /** An integer within [min, max]. */
  integer(
    value: unknown,
    path: string,
    opts: { required?: boolean; min?: number; max?: number } = {},
  ): number | undefined {
    if (value === undefined || value === null) {
      if (opts.required === true) this.add(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.add(path, 'must be an integer');
      return undefined;
    }
    if (opts.min !== undefined && value < opts.min)
      return this.reject(path, `must be >= ${opts.min}`);
    if (opts.max !== undefined && value > opts.max)
      return this.reject(path, `must be <= ${opts.max}`);
    return value;
  }

  /** A finite number >= min. */
  number(value: unknown, path: string, min: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.reject(path, 'must be a number');
    if (value < min) return this.reject(path, `must be >= ${min}`);
    return value;
  }

  /** A Kubernetes quantity string, optionally required to be positive or non-negative. */
  quantity(
    value: unknown,
    path: string,
    opts: { required?: boolean; sign?: 'positive' | 'non-negative' } = {},
  ): string | undefined {
    const text = this.string(value, path, { required: opts.required });
    if (text === undefined) return undefined;
    let milli: number;
    try {
      // MilliValue rounds away from zero, so its sign is the quantity's sign.
      milli = this.#cache.milli(text);
    } catch {
      return this.reject(path, `must be a quantity (got "${text}")`);
    }
    if (opts.sign === 'positive' && !(milli > 0)) return this.reject(path, 'must be positive');
    if (opts.sign === 'non-negative' && milli < 0) return this.reject(path, 'must be >= 0');
    return text;
  }

  /** An RFC 3339 timestamp, returned as a Date. */
  time(value: unknown, path: string, required = false): Date | undefined {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    const text = this.string(value, path, { required });
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (!rfc3339.test(text) || Number.isNaN(ms))
      return this.reject(path, 'must be an RFC 3339 timestamp');
    return new Date(ms);
  }

  oneOf<T extends string>(
    value: unknown,
    path: string,
    allowed: readonly T[],
    required = true,
  ): T | undefined {
    const text = this.string(value, path, { required });
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text))
      return this.reject(path, `must be one of ${allowed.join(', ')}`);
    return text as T;
  }

  /** A map of string to string (labels). */
  stringMap(value: unknown, path: string): void {
    const map = this.object(value, path, false);
    if (map === undefined) return;
    for (const [key, v] of Object.entries(map))
      if (typeof v !== 'string') this.add(`${path}.${key}`, 'must be a string');
  }

  /** A metav1.LabelSelector that converts to a selector. */
  labelSelector(value: unknown, path: string): void {
    const selector = this.object(value, path, false);
    if (selector === undefined) return;
    try {
      selectorFromLabelSelector(selector);
    } catch (err) {
      this.add(path, err instanceof Error ? err.message : 'is not a valid label selector');
    }
  }

  private reject(path: string, message: string): undefined {
    this.add(path, message);
    return undefined;
  }
}
