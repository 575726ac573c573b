/**
 * Values of the Go template subset and the predeclared functions over them (text/template
 * funcs.go: index, len, not, and, or, eq, ne, print, printf), printed as fmt's `%v` prints them.
 * @module
 */
import { TemplateError } from './rules-template-lex.js';

/** The shape of a template's dot: field name to kind. */
export interface TemplateSchema {
  /** Go type name, for error messages in Go's words. */
  typeName: string;
  fields: Readonly<Record<string, 'string' | 'strings' | 'map'>>;
}

/** Data for one execution: strings, string slices and string maps, by field name. */
export type TemplateData = Readonly<
  Record<string, string | readonly string[] | Readonly<Record<string, string>>>
>;

/** A Go map[string]string: printed with sorted keys, ranged in key order. */
export class GoMap {
  constructor(readonly entries: Readonly<Record<string, string>>) {}
}
/** The template's dot: a struct whose fields the schema names. */
export class GoStruct {
  constructor(
    readonly schema: TemplateSchema,
    readonly data: TemplateData,
  ) {}
}
/** Go's invalid reflect.Value: a missing map key reached by field syntax prints `<no value>`. */
export const noValue = Symbol('no value');
export type Value =
  string | number | boolean | readonly string[] | GoMap | GoStruct | typeof noValue;

/** `.name` on a value, with Go's errors for fields a type lacks. */
export function fieldOf(value: Value, name: string): Value {
  if (value instanceof GoStruct) {
    if (!(name in value.schema.fields))
      throw new TemplateError(`can't evaluate field ${name} in type ${value.schema.typeName}`);
    return toValue(value.data[name]);
  }
  if (value instanceof GoMap)
    return Object.hasOwn(value.entries, name) ? value.entries[name]! : noValue;
  if (value === noValue) throw new TemplateError(`nil pointer evaluating interface {}.${name}`);
  throw new TemplateError(`can't evaluate field ${name} in type ${goTypeOf(value)}`);
}

/** Template data as a template value. */
export function toValue(raw: TemplateData[string] | undefined): Value {
  if (raw === undefined) return noValue;
  if (typeof raw === 'string' || Array.isArray(raw)) return raw as Value;
  return new GoMap(raw as Record<string, string>);
}

/** The Go type name of a value, for error messages. */
export function goTypeOf(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]string';
  if (v instanceof GoMap) return 'map[string]string';
  if (v instanceof GoStruct) return v.schema.typeName;
  return 'interface {}';
}

/** Go template truthiness (text/template isTrue): zero values and empty collections are false. */
export function truthy(v: Value): boolean {
  if (v === noValue) return false;
  if (typeof v === 'string') return v !== '';
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoMap) return Object.keys(v.entries).length > 0;
  return true;
}

/** fmt's `%v` for the values a template can hold. */
export function printValue(v: Value): string {
  if (v === noValue) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${(v as readonly string[]).join(' ')}]`;
  if (v instanceof GoMap)
    return `map[${Object.keys(v.entries)
      .sort()
      .map((k) => `${k}:${v.entries[k]}`)
      .join(' ')}]`;
  const s = v as GoStruct;
  return `{${Object.keys(s.schema.fields)
    .map((f) => printValue(toValue(s.data[f])))
    .join(' ')}}`;
}

/** Calls one of the supported predeclared functions (parse time has rejected the rest). */
export function callFunction(name: string, args: Value[]): Value {
  const arity = (n: number): void => {
    if (args.length !== n)
      throw new TemplateError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
  };
  switch (name) {
    case 'index':
      if (args.length < 1)
        throw new TemplateError('wrong number of args for index: want at least 1 got 0');
      return args.slice(1).reduce(indexOf, args[0]!);
    case 'len':
      arity(1);
      return lengthOf(args[0]!);
    case 'not':
      arity(1);
      return !truthy(args[0]!);
    case 'and':
    case 'or':
      if (args.length < 1)
        throw new TemplateError(`wrong number of args for ${name}: want at least 1 got 0`);
      for (const a of args.slice(0, -1)) if (truthy(a) === (name === 'or')) return a;
      return args[args.length - 1]!;
    case 'eq':
    case 'ne':
      return compare(name, args);
    case 'print':
      return goSprint(args);
    default:
      return goSprintf(args);
  }
}

function indexOf(item: Value, key: Value): Value {
  if (item instanceof GoMap) {
    if (typeof key !== 'string')
      throw new TemplateError(
        `error calling index: value has type ${goTypeOf(key)}; should be string`,
      );
    // index returns the zero value for a missing key (text/template funcs.go index), unlike field syntax.
    return Object.hasOwn(item.entries, key) ? item.entries[key]! : '';
  }
  if (Array.isArray(item) || typeof item === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key))
      throw new TemplateError(
        `error calling index: cannot index slice/array with type ${goTypeOf(key)}`,
      );
    const length = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
    if (key < 0 || key >= length)
      throw new TemplateError(`error calling index: index out of range: ${key}`);
    return typeof item === 'string' ? Buffer.from(item)[key]! : (item as readonly string[])[key]!;
  }
  throw new TemplateError(`error calling index: can't index item of type ${goTypeOf(item)}`);
}

function lengthOf(v: Value): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof GoMap) return Object.keys(v.entries).length;
  throw new TemplateError(`error calling len: len of type ${goTypeOf(v)}`);
}

function compare(name: 'eq' | 'ne', args: Value[]): boolean {
  if (name === 'ne' && args.length !== 2)
    throw new TemplateError(`wrong number of args for ne: want 2 got ${args.length}`);
  if (args.length < 2) throw new TemplateError('missing argument for comparison');
  const [first, ...rest] = args;
  for (const other of rest) {
    if (typeof other !== typeof first || typeof first === 'object' || typeof first === 'symbol') {
      throw new TemplateError(`error calling ${name}: incompatible types for comparison`);
    }
  }
  const equal = rest.some((o) => o === first);
  return name === 'eq' ? equal : !equal;
}

/** fmt.Sprint: a space between operands when neither side is a string. */
function goSprint(args: Value[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printValue(a);
  });
  return out;
}

/** fmt.Sprintf for the verbs a query template can need: %s %v %d %q %%. */
function goSprintf(args: Value[]): string {
  const [format, ...rest] = args;
  if (typeof format !== 'string')
    throw new TemplateError('error calling printf: format must be a string');
  let n = 0;
  const out = format.replace(/%([%svdq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const a = rest[n++];
    if (a === undefined) return `%!${verb}(MISSING)`;
    if (verb === 'q') return JSON.stringify(printValue(a));
    return printValue(a);
  });
  return n < rest.length ? `${out}%!(EXTRA ${rest.slice(n).map(printValue).join(', ')})` : out;
}
