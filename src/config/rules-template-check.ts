/**
 * Static check of the fields a template names, in every branch: Go only finds `.Seires` when a
 * query runs (and prometheus-adapter then fails that request); we report it when the config loads.
 * @module
 */
import type { Arg, GoTemplate, Pipeline, TemplateNode } from './rules-template.js';
import type { TemplateSchema } from './rules-template-exec.js';

type Kind = 'root' | 'string' | 'strings' | 'map' | 'unknown';

interface Ctx {
  schema: TemplateSchema;
  dot: Kind;
  vars: Map<string, Kind>;
  issues: Set<string>;
}

/** Messages for every field reference that cannot resolve against `schema`; empty when all do. */
export function checkTemplateFields(template: GoTemplate, schema: TemplateSchema): string[] {
  const ctx: Ctx = { schema, dot: 'root', vars: new Map([['$', 'root']]), issues: new Set() };
  walk(template.nodes, ctx);
  return [...ctx.issues];
}

function walk(nodes: readonly TemplateNode[], ctx: Ctx): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        break;
      case 'action': {
        const kind = pipeKind(node.pipe, ctx);
        for (const n of node.pipe.decl?.names ?? []) ctx.vars.set(n, kind);
        break;
      }
      case 'if':
      case 'with': {
        const kind = pipeKind(node.pipe, ctx);
        walk(node.then, {
          ...ctx,
          dot: node.kind === 'with' ? kind : ctx.dot,
          vars: new Map(ctx.vars),
        });
        if (node.otherwise) walk(node.otherwise, { ...ctx, vars: new Map(ctx.vars) });
        break;
      }
      case 'range': {
        const kind = pipeKind({ cmds: node.pipe.cmds }, ctx);
        const elem: Kind = kind === 'strings' || kind === 'map' ? 'string' : 'unknown';
        const vars = new Map(ctx.vars);
        const names = node.pipe.decl?.names ?? [];
        if (names.length === 1) vars.set(names[0]!, elem);
        if (names.length === 2) vars.set(names[0]!, 'unknown').set(names[1]!, elem);
        walk(node.body, { ...ctx, dot: elem, vars });
        if (node.otherwise) walk(node.otherwise, { ...ctx, vars: new Map(ctx.vars) });
        break;
      }
    }
  }
}

function pipeKind(pipe: Pipeline, ctx: Ctx): Kind {
  let kind: Kind = 'unknown';
  for (const cmd of pipe.cmds) {
    const kinds = cmd.args.map((a) => argKind(a, ctx));
    kind = cmd.args.length === 1 && cmd.args[0]!.kind !== 'func' ? kinds[0]! : 'unknown';
  }
  return kind;
}

function argKind(arg: Arg, ctx: Ctx): Kind {
  if (arg.kind === 'pipe') return pipeKind(arg.pipe, ctx);
  if (arg.kind !== 'field') return arg.kind === 'string' ? 'string' : 'unknown';
  let kind: Kind = arg.base === 'var' ? (ctx.vars.get(arg.varName!) ?? 'unknown') : ctx.dot;
  for (const field of arg.fields) kind = fieldKind(kind, field, ctx);
  return kind;
}

function fieldKind(kind: Kind, field: string, ctx: Ctx): Kind {
  switch (kind) {
    case 'root': {
      const f = ctx.schema.fields[field];
      if (f === undefined) {
        ctx.issues.add(
          `can't evaluate field ${field} in type ${ctx.schema.typeName} (fields: ${Object.keys(ctx.schema.fields).join(', ')})`,
        );
        return 'unknown';
      }
      return f;
    }
    case 'map':
      return 'string';
    case 'string':
    case 'strings':
      ctx.issues.add(
        `can't evaluate field ${field} in type ${kind === 'string' ? 'string' : '[]string'}`,
      );
      return 'unknown';
    default:
      return 'unknown';
  }
}
