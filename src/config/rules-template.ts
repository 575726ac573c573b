/**
 * Parser for the subset of Go text/template that prometheus-adapter's rules use, with its `<<` and
 * `>>` delimiters (pkg/naming metrics_query.go NewMetricsQuery, resource_converter.go
 * NewResourceConverter): text, field chains (`.Series`, `.LabelValuesByName.pod`), variables
 * (`$`, `$v`), string/number/bool literals, pipelines with `|`, parenthesised pipelines,
 * `if`/`else if`/`else`/`end`, `range` (with `$i, $v :=`), `with`, variable declarations, trim
 * markers (`<<-`, `->>`) and comments. Functions: index, len, print, printf, eq, ne, not, and, or.
 * Everything else fails at parse time with the reason, as Go's own parser fails on undefined
 * functions. Execution is in rules-template-exec.ts.
 * @module
 */

import { lexActions, TemplateError, tokenize, type Token } from './rules-template-lex.js';

export { TemplateError };

export type Arg =
  | { kind: 'field'; base: 'dot' | 'var'; varName?: string; fields: string[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'func'; name: string }
  | { kind: 'pipe'; pipe: Pipeline };

export interface Command {
  args: Arg[];
}

export interface Pipeline {
  /** Variables declared (`$x :=`) or assigned (`$x =`) by this pipeline. */
  decl?: { names: string[]; assign: boolean };
  cmds: Command[];
}

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; then: TemplateNode[]; otherwise?: TemplateNode[] }
  | { kind: 'range'; pipe: Pipeline; body: TemplateNode[]; otherwise?: TemplateNode[] };

export interface GoTemplate {
  source: string;
  nodes: TemplateNode[];
}

/** Go's predeclared functions that this subset implements. */
export const supportedFunctions = new Set('index len print printf eq ne not and or'.split(' '));
const goBuiltins = new Set(
  'and call html index slice js len not or print printf println urlquery eq ge gt le lt ne'.split(
    ' ',
  ),
);

class PipelineParser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly vars: Set<string>,
  ) {}

  parse(allowDecl: boolean): Pipeline {
    const decl = allowDecl ? this.declaration() : undefined;
    const pipe = this.pipeline();
    if (this.pos < this.tokens.length)
      throw new TemplateError(`unexpected ${describe(this.tokens[this.pos]!)} in action`);
    if (decl) for (const n of decl.names) this.vars.add(n);
    return decl ? { ...pipe, decl } : pipe;
  }

  private declaration(): Pipeline['decl'] {
    const t = this.tokens;
    const v1 = t[0];
    if (v1?.t !== 'var' || v1.fields.length > 0) return undefined;
    const op1 = t[1];
    if (op1?.t === 'op' && (op1.op === ':=' || op1.op === '=')) {
      this.pos = 2;
      return { names: [v1.name], assign: op1.op === '=' };
    }
    const v2 = t[2];
    const op2 = t[3];
    if (
      op1?.t === 'op' &&
      op1.op === ',' &&
      v2?.t === 'var' &&
      op2?.t === 'op' &&
      op2.op === ':='
    ) {
      this.pos = 4;
      return { names: [v1.name, v2.name], assign: false };
    }
    return undefined;
  }

  private pipeline(): Pipeline {
    const cmds: Command[] = [this.command()];
    while (this.peekOp('|')) {
      this.pos++;
      cmds.push(this.command());
    }
    return { cmds };
  }

  private command(): Command {
    const args: Arg[] = [];
    for (;;) {
      const tok = this.tokens[this.pos];
      if (tok === undefined || (tok.t === 'op' && tok.op !== '(')) break;
      this.pos++;
      args.push(this.operand(tok));
    }
    if (args.length === 0) throw new TemplateError('missing value for command');
    return { args };
  }

  private operand(tok: Token): Arg {
    switch (tok.t) {
      case 'field':
        return { kind: 'field', base: 'dot', fields: tok.fields };
      case 'var':
        if (!this.vars.has(tok.name)) throw new TemplateError(`undefined variable: ${tok.name}`);
        return { kind: 'field', base: 'var', varName: tok.name, fields: tok.fields };
      case 'string':
        return { kind: 'string', value: tok.value };
      case 'number':
        return { kind: 'number', value: tok.value };
      case 'ident':
        return this.identifier(tok.name);
      case 'op': {
        const pipe = this.pipeline();
        if (!this.peekOp(')')) throw new TemplateError('unclosed left paren');
        this.pos++;
        return { kind: 'pipe', pipe };
      }
    }
  }

  private identifier(name: string): Arg {
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
    if (supportedFunctions.has(name)) return { kind: 'func', name };
    if (goBuiltins.has(name))
      throw new TemplateError(
        `function "${name}" is not supported by scaleplane's template subset (supported: ${[...supportedFunctions].join(', ')})`,
      );
    throw new TemplateError(`function "${name}" not defined`);
  }

  private peekOp(op: string): boolean {
    const tok = this.tokens[this.pos];
    return tok?.t === 'op' && tok.op === op;
  }
}

function describe(tok: Token): string {
  return tok.t === 'op' ? `"${tok.op}"` : tok.t;
}

interface Frame {
  kind: 'root' | 'if' | 'with' | 'range';
  nodes: TemplateNode[];
  node?: Extract<TemplateNode, { kind: 'if' | 'with' | 'range' }>;
  /** `else if` opens a nested if that the same `end` closes. */
  chained: boolean;
  vars: Set<string>;
}

/** Parses `source` into a {@link GoTemplate}; throws {@link TemplateError} with Go's reason. */
export function parseGoTemplate(source: string): GoTemplate {
  const root: Frame = { kind: 'root', nodes: [], chained: false, vars: new Set(['$']) };
  const stack: Frame[] = [root];
  for (const part of lexActions(source)) {
    const top = stack[stack.length - 1]!;
    if (typeof part === 'string') top.nodes.push({ kind: 'text', text: part });
    else handleAction(part.body.trim(), stack);
  }
  if (stack.length > 1)
    throw new TemplateError(
      `unexpected EOF: missing <<end>> for <<${stack[stack.length - 1]!.kind}>>`,
    );
  return { source, nodes: root.nodes };
}

function handleAction(body: string, stack: Frame[]): void {
  if (/^\/\*[\s\S]*\*\/$/.test(body)) return;
  const top = stack[stack.length - 1]!;
  const keyword = /^([a-z]+)\b/.exec(body)?.[1];
  const rest = keyword ? body.slice(keyword.length) : body;
  if (keyword === 'end') return closeBlock(rest, stack);
  if (keyword === 'else') return elseBranch(rest.trim(), stack);
  if (keyword === 'if' || keyword === 'with' || keyword === 'range')
    return openBlock(keyword, rest, stack);
  if (
    keyword === 'define' ||
    keyword === 'template' ||
    keyword === 'block' ||
    keyword === 'break' ||
    keyword === 'continue'
  ) {
    throw new TemplateError(`<<${keyword}>> is not supported by scaleplane's template subset`);
  }
  if (body === '') throw new TemplateError('missing value for command');
  top.nodes.push({
    kind: 'action',
    pipe: new PipelineParser(tokenize(body), top.vars).parse(true),
  });
}

function openBlock(
  kind: 'if' | 'with' | 'range',
  text: string,
  stack: Frame[],
  chained = false,
): void {
  const top = stack[stack.length - 1]!;
  const vars = new Set(top.vars);
  const pipe = new PipelineParser(tokenize(text), vars).parse(kind === 'range');
  if (kind === 'range' && pipe.decl?.assign)
    throw new TemplateError('range can only declare variables with :=');
  const nodes: TemplateNode[] = [];
  const node: Frame['node'] =
    kind === 'range' ? { kind, pipe, body: nodes } : { kind, pipe, then: nodes };
  top.nodes.push(node);
  stack.push({ kind, nodes, node, chained, vars });
}

function elseBranch(rest: string, stack: Frame[]): void {
  const top = stack[stack.length - 1]!;
  if (top.kind === 'root' || !top.node || top.node.otherwise)
    throw new TemplateError('unexpected <<else>>');
  top.node.otherwise = [];
  // Go scopes a control's variables to its <<end>>, so the else branch still sees them.
  stack[stack.length - 1] = { ...top, nodes: top.node.otherwise };
  if (rest === '') return;
  if (!rest.startsWith('if ') && !rest.startsWith('if\t'))
    throw new TemplateError(`unexpected "${rest}" after else`);
  openBlock('if', rest.slice(2), stack, true);
}

function closeBlock(rest: string, stack: Frame[]): void {
  if (rest.trim() !== '') throw new TemplateError(`unexpected "${rest.trim()}" in end`);
  for (;;) {
    const top = stack.pop();
    if (!top || top.kind === 'root') throw new TemplateError('unexpected <<end>>');
    if (!top.chained) return;
  }
}
