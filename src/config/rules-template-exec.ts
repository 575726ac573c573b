/**
 * Executes a parsed {@link GoTemplate} against the data prometheus-adapter passes its templates:
 * `queryTemplateArgs` (pkg/naming metrics_query.go) for metricsQuery/containerQuery/nodeQuery and
 * `schema.GroupResource` for `resources.template`. Values print as Go's fmt prints them
 * (`[a b]` for a slice, `map[k:v]` with sorted keys, `<no value>` for a missing map key reached by
 * field syntax), so a template renders here exactly what it renders there.
 * @module
 */
import {
  TemplateError,
  type Arg,
  type GoTemplate,
  type Pipeline,
  type TemplateNode,
} from './rules-template.js';
import {
  callFunction,
  fieldOf,
  GoMap,
  GoStruct,
  noValue,
  printValue,
  truthy,
  type TemplateData,
  type TemplateSchema,
  type Value,
} from './rules-template-values.js';

export { printValue, type TemplateData, type TemplateSchema } from './rules-template-values.js';

type Scope = Map<string, Value>;

/** Fields of prometheus-adapter's queryTemplateArgs. */
export const queryTemplateSchema: TemplateSchema = {
  typeName: 'naming.queryTemplateArgs',
  fields: {
    Series: 'string',
    LabelMatchers: 'string',
    LabelValuesByName: 'map',
    GroupBy: 'string',
    GroupBySlice: 'strings',
  },
};

/** Fields of the group resource a `resources.template` is executed with. */
export const resourceTemplateSchema: TemplateSchema = {
  typeName: 'schema.GroupResource',
  fields: { Group: 'string', Resource: 'string' },
};

class Executor {
  private out = '';
  constructor(private readonly root: GoStruct) {}

  run(nodes: readonly TemplateNode[]): string {
    this.walk(nodes, this.root, [new Map([['$', this.root]])]);
    return this.out;
  }

  private walk(nodes: readonly TemplateNode[], dot: Value, scopes: Scope[]): void {
    for (const node of nodes) this.node(node, dot, scopes);
  }

  private node(node: TemplateNode, dot: Value, scopes: Scope[]): void {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const v = this.pipeline(node.pipe, dot, scopes);
        if (!node.pipe.decl) this.out += printValue(v);
        return;
      }
      case 'if':
      case 'with': {
        const inner: Scope[] = [...scopes, new Map<string, Value>()];
        const v = this.pipeline(node.pipe, dot, inner);
        if (truthy(v)) this.walk(node.then, node.kind === 'with' ? v : dot, inner);
        else if (node.otherwise) this.walk(node.otherwise, dot, inner);
        return;
      }
      case 'range':
        return this.range(node, dot, scopes);
    }
  }

  private range(node: Extract<TemplateNode, { kind: 'range' }>, dot: Value, scopes: Scope[]): void {
    const v = this.pipeline({ cmds: node.pipe.cmds }, dot, scopes);
    let items: [Value, Value][];
    if (Array.isArray(v)) items = (v as readonly string[]).map((s, i) => [i, s]);
    else if (v instanceof GoMap)
      items = Object.keys(v.entries)
        .sort()
        .map((k) => [k, v.entries[k]!]);
    else if (v === noValue) items = [];
    else throw new TemplateError(`range can't iterate over ${printValue(v)}`);
    if (items.length === 0) {
      if (node.otherwise) this.walk(node.otherwise, dot, [...scopes, new Map<string, Value>()]);
      return;
    }
    const names = node.pipe.decl?.names ?? [];
    for (const [key, elem] of items) {
      const scope: Scope = new Map();
      if (names.length === 1) scope.set(names[0]!, elem);
      if (names.length === 2) scope.set(names[0]!, key).set(names[1]!, elem);
      this.walk(node.body, elem, [...scopes, scope]);
    }
  }

  private pipeline(pipe: Pipeline, dot: Value, scopes: Scope[]): Value {
    let value: Value | undefined;
    for (const cmd of pipe.cmds) value = this.command(cmd.args, dot, scopes, value);
    if (pipe.decl) {
      for (const name of pipe.decl.names) {
        const target = pipe.decl.assign
          ? [...scopes].reverse().find((s) => s.has(name))
          : scopes[scopes.length - 1];
        if (!target) throw new TemplateError(`undefined variable: ${name}`);
        target.set(name, value!);
      }
    }
    return value!;
  }

  private command(
    args: readonly Arg[],
    dot: Value,
    scopes: Scope[],
    piped: Value | undefined,
  ): Value {
    const head = args[0]!;
    if (head.kind === 'func') {
      const values = args.slice(1).map((a) => this.arg(a, dot, scopes));
      if (piped !== undefined) values.push(piped);
      return callFunction(head.name, values);
    }
    if (args.length > 1 || piped !== undefined)
      throw new TemplateError(`can't give argument to non-function ${describeArg(head)}`);
    return this.arg(head, dot, scopes);
  }

  private arg(arg: Arg, dot: Value, scopes: Scope[]): Value {
    switch (arg.kind) {
      case 'string':
      case 'number':
      case 'bool':
        return arg.value;
      case 'pipe':
        return this.pipeline(arg.pipe, dot, scopes);
      case 'func':
        return callFunction(arg.name, []);
      case 'field': {
        let base: Value = dot;
        if (arg.base === 'var') {
          const scope = [...scopes].reverse().find((s) => s.has(arg.varName!));
          if (!scope) throw new TemplateError(`undefined variable: ${arg.varName}`);
          base = scope.get(arg.varName!)!;
        }
        return arg.fields.reduce(fieldOf, base);
      }
    }
  }
}

function describeArg(arg: Arg): string {
  if (arg.kind === 'field')
    return `${arg.base === 'var' ? arg.varName : ''}.${arg.fields.join('.')}`;
  return arg.kind === 'string' ? JSON.stringify(arg.value) : arg.kind;
}

/** Renders `template` with `data` shaped by `schema`; throws {@link TemplateError} as Go's Execute fails. */
export function executeGoTemplate(
  template: GoTemplate,
  schema: TemplateSchema,
  data: TemplateData,
): string {
  return new Executor(new GoStruct(schema, data)).run(template.nodes);
}
