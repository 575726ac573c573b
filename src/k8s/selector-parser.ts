/**
 * Lexer and recursive-descent parser for label selector strings, mirroring apimachinery
 * pkg/labels/selector.go (Lexer.Lex, Parser.parse, parseRequirement, parseValues,
 * parseIdentifiersList, parseExactValue). Checks keys as it reads them; selector.ts validates values
 * and value counts as NewRequirement does. Single pass, no regular expressions.
 * @module
 */

import { labelKeyIssue } from './label-validation.js';

export type RawOperator =
  'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'DoubleEquals' | 'NotEquals';

export interface RawRequirement {
  key: string;
  operator: RawOperator;
  values: string[];
}

type TokenKind =
  'end' | 'ident' | ')' | ',' | '!' | '==' | '=' | '>' | '<' | '!=' | '(' | 'in' | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS: ReadonlySet<string> = new Set([')', ',', '!', '==', '=', '>', '<', '!=', '(']);
const SPECIAL_CHARS = '=!(),><';
const WHITESPACE = ' \t\r\n';

/** Thrown by the parser with the upstream-shaped detail; selector.ts wraps it into a SelectorError. */
export class SelectorSyntaxError extends Error {}

/** Splits the input into tokens; special symbols take the longest operator match (Lexer.scanSpecialSymbol). */
function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < s.length) {
    const c = s[pos]!;
    if (WHITESPACE.includes(c)) {
      pos++;
    } else if (SPECIAL_CHARS.includes(c)) {
      // Every single special character is a token, so at most one more character can extend it.
      const two = s.slice(pos, pos + 2);
      const text = SYMBOLS.has(two) ? two : c;
      tokens.push({ kind: text as TokenKind, text });
      pos += text.length;
    } else {
      const start = pos;
      while (pos < s.length && !SPECIAL_CHARS.includes(s[pos]!) && !WHITESPACE.includes(s[pos]!))
        pos++;
      const text = s.slice(start, pos);
      tokens.push({ kind: text === 'in' || text === 'notin' ? text : 'ident', text });
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

class Parser {
  readonly #tokens: Token[];
  #position = 0;

  constructor(input: string) {
    this.#tokens = lex(input);
  }

  /**
   * The next token. In the "values" context the keywords in/notin are plain identifiers, so they
   * work as keys and values (Parser.lookahead with the Values context).
   */
  #peek(asValue: boolean): Token {
    const token = this.#tokens[this.#position]!;
    if (asValue && (token.kind === 'in' || token.kind === 'notin'))
      return { kind: 'ident', text: token.text };
    return token;
  }

  #next(asValue: boolean): Token {
    const token = this.#peek(asValue);
    if (token.kind !== 'end') this.#position++;
    return token;
  }

  parse(): RawRequirement[] {
    const requirements: RawRequirement[] = [];
    for (;;) {
      const first = this.#peek(true);
      if (first.kind === 'end') return requirements;
      if (first.kind !== 'ident' && first.kind !== '!') {
        throw new SelectorSyntaxError(
          `found '${first.text}', expected: !, identifier, or 'end of string'`,
        );
      }
      try {
        requirements.push(this.#requirement());
      } catch (err) {
        if (err instanceof SelectorSyntaxError)
          throw new SelectorSyntaxError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const after = this.#next(true);
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',')
        throw new SelectorSyntaxError(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.#peek(true);
      if (following.kind !== 'ident' && following.kind !== '!') {
        throw new SelectorSyntaxError(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  #requirement(): RawRequirement {
    let token = this.#next(true);
    const negated = token.kind === '!';
    if (negated) token = this.#next(true);
    if (token.kind !== 'ident')
      throw new SelectorSyntaxError(`found '${token.text}', expected: identifier`);
    const key = token.text;
    // Keys are checked before the operator, as parseKeyAndInferOperator does, so a bad key is named first.
    const keyIssue = labelKeyIssue(key);
    if (keyIssue !== undefined)
      throw new SelectorSyntaxError(`invalid label key ${JSON.stringify(key)}: ${keyIssue}`);
    const lookahead = this.#peek(true).kind;
    // A bare key, or any "!key", is unary (parseKeyAndInferOperator): what follows "!key" must be ',' or end.
    if (negated) return { key, operator: 'DoesNotExist', values: [] };
    if (lookahead === 'end' || lookahead === ',') return { key, operator: 'Exists', values: [] };
    const operator = this.#operator();
    const values =
      operator === 'In' || operator === 'NotIn' ? this.#valueSet() : this.#exactValue();
    return { key, operator, values };
  }

  #operator(): RawOperator {
    const token = this.#next(false);
    switch (token.kind) {
      case 'in':
        return 'In';
      case 'notin':
        return 'NotIn';
      case '=':
        return 'Equals';
      case '==':
        return 'DoubleEquals';
      case '!=':
        return 'NotEquals';
      case '>':
      case '<':
        // Upstream's Gt/Lt exist for node affinity; label selectors over metrics never need them.
        throw new SelectorSyntaxError(
          `found '${token.text}': the operators > and < are not supported`,
        );
      default:
        throw new SelectorSyntaxError(`found '${token.text}', expected: in, notin, =, ==, !=`);
    }
  }

  #valueSet(): string[] {
    const open = this.#next(true);
    if (open.kind !== '(') throw new SelectorSyntaxError(`found '${open.text}' expected: '('`);
    const first = this.#peek(true);
    if (first.kind === ')') {
      this.#next(true);
      return [''];
    }
    if (first.kind !== 'ident' && first.kind !== ',') {
      throw new SelectorSyntaxError(`found '${first.text}', expected: ',', ')' or identifier`);
    }
    const values = this.#identifierList();
    const close = this.#next(true);
    if (close.kind !== ')') throw new SelectorSyntaxError(`found '${close.text}', expected: ')'`);
    return values;
  }

  /** Values between parentheses; empty items (",x", "x,", "x,,y") are the empty value (parseIdentifiersList). */
  #identifierList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const token = this.#next(true);
      if (token.kind === 'ident') {
        values.add(token.text);
        const after = this.#peek(true);
        if (after.kind === ')') return [...values];
        if (after.kind !== ',')
          throw new SelectorSyntaxError(`found '${after.text}', expected: ',' or ')'`);
      } else if (token.kind === ',') {
        if (values.size === 0) values.add('');
        const after = this.#peek(true);
        if (after.kind === ')') {
          values.add('');
          return [...values];
        }
        if (after.kind === ',') {
          this.#next(true);
          values.add('');
        }
      } else {
        throw new SelectorSyntaxError(`found '${token.text}', expected: ',', or identifier`);
      }
    }
  }

  #exactValue(): string[] {
    const token = this.#peek(true);
    if (token.kind === 'end' || token.kind === ',') return [''];
    this.#next(true);
    if (token.kind !== 'ident')
      throw new SelectorSyntaxError(`found '${token.text}', expected: identifier`);
    return [token.text];
  }
}

/** Parses a selector string into requirements in input order. @throws SelectorSyntaxError */
export function parseRequirements(s: string): RawRequirement[] {
  return new Parser(s).parse();
}
