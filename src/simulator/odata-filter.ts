/**
 * A small, honest OData `$filter` parser: tokenizer plus recursive descent into an expression tree. It knows the
 * subset Graph's identity APIs accept (comparisons, and/or/not, parentheses, startswith/endswith/contains, `in`,
 * any/all lambdas) and rejects everything else with a message, so a client never gets a silently ignored clause.
 */

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FunctionName = 'startswith' | 'endswith' | 'contains';

export type Literal =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'guid'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'datetime'; readonly value: string; readonly ms: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

export type Operand = { readonly kind: 'property'; readonly path: readonly string[] } | { readonly kind: 'literal'; readonly literal: Literal };

export type FilterExpr =
  | { readonly kind: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'not'; readonly operand: FilterExpr }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'in'; readonly left: Operand; readonly values: readonly Literal[] }
  | { readonly kind: 'function'; readonly name: FunctionName; readonly args: readonly Operand[] }
  | {
      readonly kind: 'lambda';
      readonly quantifier: 'any' | 'all';
      readonly collection: readonly string[];
      readonly variable: string;
      readonly predicate: FilterExpr;
    };

/** The filter text is malformed; the message says where. */
export class FilterSyntaxError extends Error {
  constructor(message: string, position: number) {
    super(`${message} at position ${position}.`);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly pos: number }
  | { readonly kind: 'literal'; readonly literal: Literal; readonly pos: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ',' | ':' | '/'; readonly pos: number }
  | { readonly kind: 'end'; readonly pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?(?![\w:.-])/;
const NUMBER = /^-?\d+(\.\d+)?(?![\w.])/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_.]*/;
const COMPARE_OPS: readonly string[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const FUNCTIONS: readonly string[] = ['startswith', 'endswith', 'contains'];

function literalToken(text: string, pos: number): Token | undefined {
  const guid = GUID.exec(text);
  if (guid) return { kind: 'literal', literal: { type: 'guid', value: guid[0].toLowerCase() }, pos };
  const dt = DATETIME.exec(text);
  if (dt && dt[0].length > 4) {
    const ms = Date.parse(dt[0]);
    if (Number.isNaN(ms)) throw new FilterSyntaxError(`'${dt[0]}' is not a valid DateTimeOffset`, pos);
    return { kind: 'literal', literal: { type: 'datetime', value: dt[0], ms }, pos };
  }
  const num = NUMBER.exec(text);
  if (num) return { kind: 'literal', literal: { type: 'number', value: Number(num[0]) }, pos };
  return undefined;
}

function lengthOf(token: Token, source: string): number {
  if (token.kind === 'literal') {
    const l = token.literal;
    if (l.type === 'guid' || l.type === 'datetime') return l.value.length;
    if (l.type === 'number') return (NUMBER.exec(source.slice(token.pos)) ?? [''])[0].length;
  }
  return 0;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':' || ch === '/') {
      tokens.push({ kind: 'punct', text: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new FilterSyntaxError('Unterminated string literal', i);
        const c = source.charAt(j);
        if (c === "'" && source.charAt(j + 1) === "'") {
          value += "'";
          j += 2;
        } else if (c === "'") break;
        else {
          value += c;
          j++;
        }
      }
      tokens.push({ kind: 'literal', literal: { type: 'string', value }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = source.slice(i);
    const literal = literalToken(rest, i);
    if (literal) {
      tokens.push(literal);
      i += lengthOf(literal, source);
      continue;
    }
    const ident = IDENT.exec(rest);
    if (!ident) throw new FilterSyntaxError(`Unexpected character '${ch}'`, i);
    const text = ident[0];
    if (text === 'true' || text === 'false') tokens.push({ kind: 'literal', literal: { type: 'boolean', value: text === 'true' }, pos: i });
    else if (text === 'null') tokens.push({ kind: 'literal', literal: { type: 'null' }, pos: i });
    else tokens.push({ kind: 'ident', text, pos: i });
    i += text.length;
  }
  tokens.push({ kind: 'end', pos: source.length });
  return tokens;
}

/** Parses a `$filter` value. Throws FilterSyntaxError for anything outside the supported grammar. */
export function parseFilter(source: string): FilterExpr {
  if (source.trim() === '') throw new FilterSyntaxError('The filter is empty', 0);
  return new Parser(tokenize(source)).parseAll();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): FilterExpr {
    const expr = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw new FilterSyntaxError(`Unexpected ${describe(next)}`, next.pos);
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] ?? { kind: 'end', pos: 0 };
  }

  private take(): Token {
    const t = this.peek();
    this.index++;
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text === word;
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  private expectPunct(text: '(' | ')' | ',' | ':'): void {
    const t = this.take();
    if (t.kind !== 'punct' || t.text !== text) throw new FilterSyntaxError(`Expected '${text}' but found ${describe(t)}`, t.pos);
  }

  private parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.take();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseUnary();
    while (this.isKeyword('and')) {
      this.take();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterExpr {
    if (this.isKeyword('not')) {
      this.take();
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (this.isPunct('(')) {
      this.take();
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): FilterExpr {
    const first = this.peek();
    if (first.kind === 'ident' && this.isPunct('(', 1)) {
      if (!FUNCTIONS.includes(first.text)) throw new FilterSyntaxError(`Unsupported function '${first.text}'`, first.pos);
      this.take();
      this.expectPunct('(');
      const args = [this.parseOperand()];
      while (this.isPunct(',')) {
        this.take();
        args.push(this.parseOperand());
      }
      this.expectPunct(')');
      return { kind: 'function', name: first.text as FunctionName, args };
    }
    if (first.kind === 'ident') {
      const path = this.parsePath();
      if (path.lambda) return path.lambda;
      return this.parseComparison({ kind: 'property', path: path.segments });
    }
    return this.parseComparison(this.parseOperand());
  }

  private parseComparison(left: Operand): FilterExpr {
    const opToken = this.take();
    if (opToken.kind === 'ident' && COMPARE_OPS.includes(opToken.text)) {
      return { kind: 'compare', op: opToken.text as CompareOp, left, right: this.parseOperand() };
    }
    if (opToken.kind === 'ident' && opToken.text === 'in') {
      this.expectPunct('(');
      const values = [this.parseLiteral()];
      while (this.isPunct(',')) {
        this.take();
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', left, values };
    }
    throw new FilterSyntaxError(`Expected a comparison operator (eq, ne, gt, ge, lt, le, in) but found ${describe(opToken)}`, opToken.pos);
  }

  private parseLiteral(): Literal {
    const t = this.take();
    if (t.kind !== 'literal') throw new FilterSyntaxError(`Expected a literal but found ${describe(t)}`, t.pos);
    return t.literal;
  }

  private parseOperand(): Operand {
    const t = this.peek();
    if (t.kind === 'literal') {
      this.take();
      return { kind: 'literal', literal: t.literal };
    }
    if (t.kind === 'ident') {
      const path = this.parsePath();
      if (path.lambda) throw new FilterSyntaxError('A lambda (any/all) cannot be used as a value', t.pos);
      return { kind: 'property', path: path.segments };
    }
    throw new FilterSyntaxError(`Expected a property or a literal but found ${describe(t)}`, t.pos);
  }

  /** A property path `a/b/c`, possibly ending in a lambda `a/any(x: ...)`. */
  private parsePath(): { segments: string[]; lambda?: FilterExpr } {
    const segments: string[] = [];
    for (;;) {
      const t = this.take();
      if (t.kind !== 'ident') throw new FilterSyntaxError(`Expected a property name but found ${describe(t)}`, t.pos);
      if ((t.text === 'any' || t.text === 'all') && segments.length > 0 && this.isPunct('(')) {
        return { segments, lambda: this.parseLambda(t.text, segments) };
      }
      segments.push(t.text);
      if (!this.isPunct('/')) return { segments };
      this.take();
    }
  }

  private parseLambda(quantifier: 'any' | 'all', collection: readonly string[]): FilterExpr {
    this.expectPunct('(');
    const variable = this.take();
    if (variable.kind !== 'ident') throw new FilterSyntaxError(`Expected a lambda variable but found ${describe(variable)}`, variable.pos);
    this.expectPunct(':');
    const predicate = this.parseOr();
    this.expectPunct(')');
    return { kind: 'lambda', quantifier, collection, variable: variable.text, predicate };
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the filter';
    case 'ident':
      return `'${t.text}'`;
    case 'punct':
      return `'${t.text}'`;
    case 'literal':
      return 'a literal';
  }
}
