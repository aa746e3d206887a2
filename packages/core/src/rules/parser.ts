import { RuleSyntaxError } from '../errors.js';
import { tokenize, type Token } from './lexer.js';

/** A string argument of a matcher call. */
export interface RuleArg {
  readonly value: string;
  /** 0-based offset of the literal's opening quote in the rule. */
  readonly at: number;
  /** Backtick literal: offsets inside the value map 1:1 onto the rule. */
  readonly raw: boolean;
}

/** A matcher call, possibly negated after `!` has been pushed down. */
export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly at: number;
  readonly args: readonly RuleArg[];
  readonly negated: boolean;
}

export interface BinaryNode {
  readonly kind: 'and' | 'or';
  readonly left: RuleNode;
  readonly right: RuleNode;
}

/** A rule in negation normal form: `!` only ever applies to single calls. */
export type RuleNode = CallNode | BinaryNode;

const describe = (t: Token): string => {
  switch (t.kind) {
    case 'eof':
      return 'end of rule';
    case 'newline':
      return 'newline';
    case 'ident':
      return `identifier '${t.value}'`;
    case 'string':
      return 'string literal';
    case 'char':
      return 'single-quoted literal';
    case 'number':
      return `number ${t.value}`;
    default:
      return `'${t.value}'`;
  }
};

/**
 * Parses a rule into a matcher tree with Go's precedence (`!` > `&&` > `||`) and pushes `!`
 * down with De Morgan, as Traefik's rule tree does. Matcher names are not resolved here.
 */
export function parseRule(rule: string): RuleNode {
  if (rule.trim() === '') throw new RuleSyntaxError(rule, 1, 'empty rule');
  return new Parser(rule, tokenize(rule)).parse();
}

class Parser {
  private pos = 0;
  constructor(
    private readonly rule: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): RuleNode {
    const node = this.parseOr(false);
    if (this.peek().kind === 'newline' && this.tokens[this.pos + 1].kind === 'eof') this.pos++;
    const t = this.peek();
    if (t.kind !== 'eof') {
      if (t.kind === 'newline') this.newlineError(t);
      const hint = t.kind === 'ident' && /^(and|or|not)$/i.test(t.value) ? `; use '&&', '||' or '!'` : `; matchers are combined with '&&' or '||'`;
      this.fail(t, `unexpected ${describe(t)} after a complete expression${hint}`);
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private fail(t: Token, message: string): never {
    throw new RuleSyntaxError(this.rule, t.at + 1, message);
  }

  private newlineError(t: Token): never {
    const following = this.tokens[this.pos + 1];
    const op = following && (following.kind === '&&' || following.kind === '||') ? `'${following.kind}'` : 'the operator';
    this.fail(t, `newline after ')' or a literal ends the expression (Go inserts a semicolon); put ${op} at the end of the previous line`);
  }

  private parseOr(negated: boolean): RuleNode {
    let left = this.parseAnd(negated);
    while (this.peek().kind === '||') {
      this.next();
      const right = this.parseAnd(negated);
      left = { kind: negated ? 'and' : 'or', left, right };
    }
    return left;
  }

  private parseAnd(negated: boolean): RuleNode {
    let left = this.parseUnary(negated);
    while (this.peek().kind === '&&') {
      this.next();
      const right = this.parseUnary(negated);
      left = { kind: negated ? 'or' : 'and', left, right };
    }
    return left;
  }

  private parseUnary(negated: boolean): RuleNode {
    if (this.peek().kind === '!') {
      this.next();
      return this.parseUnary(!negated);
    }
    return this.parsePrimary(negated);
  }

  private parsePrimary(negated: boolean): RuleNode {
    const t = this.next();
    switch (t.kind) {
      case '(': {
        const inner = this.parseOr(negated);
        const close = this.next();
        if (close.kind === 'newline') {
          this.pos--;
          this.newlineError(close);
        }
        if (close.kind !== ')') this.fail(close, `expected ')', found ${describe(close)}`);
        return inner;
      }
      case 'ident':
        if (this.peek().kind === 'newline') this.fail(this.peek(), `newline between '${t.value}' and '(' (Go inserts a semicolon)`);
        if (this.peek().kind !== '(') this.fail(t, `'${t.value}' is not a matcher call; write ${t.value}(\`value\`)`);
        return this.parseCall(t, negated);
      case 'string':
        return this.fail(t, 'a bare string is not a rule; use a matcher such as Host(`example.com`)');
      case 'char':
        return this.fail(t, 'single quotes are not allowed; quote values with backticks or double quotes');
      case 'eof':
        return this.fail(t, 'unexpected end of rule, expected a matcher');
      case 'newline':
        this.pos--;
        return this.newlineError(t);
      default:
        return this.fail(t, `unexpected ${describe(t)}, expected a matcher`);
    }
  }

  private parseCall(name: Token, negated: boolean): CallNode {
    this.next(); // '('
    const args: RuleArg[] = [];
    for (;;) {
      let t = this.next();
      if (t.kind === ')') break;
      if (t.kind === 'newline') this.fail(t, `missing ',' before newline in the arguments of ${name.value}`);
      if (t.kind === 'char') this.fail(t, 'single quotes are not allowed; quote values with backticks or double quotes');
      if (t.kind === 'ident' || t.kind === 'number') this.fail(t, `argument of ${name.value} must be a quoted string (backticks or double quotes)`);
      if (t.kind !== 'string') this.fail(t, `unexpected ${describe(t)} in the arguments of ${name.value}`);
      args.push({ value: t.value, at: t.at, raw: t.raw === true });
      t = this.next();
      if (t.kind === ')') break;
      if (t.kind === 'newline') this.fail(t, `missing ',' before newline in the arguments of ${name.value}`);
      if (t.kind !== ',') this.fail(t, `expected ',' or ')' in the arguments of ${name.value}, found ${describe(t)}`);
    }
    return { kind: 'call', name: name.value, at: name.at, args, negated };
  }
}
