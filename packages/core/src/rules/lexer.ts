import { RuleSyntaxError } from '../errors.js';

/** Token kinds of the Go-expression subset Traefik rules are written in. */
export type TokenKind = 'ident' | 'string' | 'char' | 'number' | '&&' | '||' | '!' | '(' | ')' | ',' | 'newline' | 'other' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name or decoded string value. */
  readonly value: string;
  /** 0-based offset of the token in the rule. */
  readonly at: number;
  /** For strings: backtick literal, whose offsets map 1:1 onto the value. */
  readonly raw?: boolean;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isIdentStart = (c: string): boolean => /[\p{L}_]/u.test(c);
const isIdentPart = (c: string): boolean => /[\p{L}\p{Nd}_]/u.test(c);

/**
 * Splits a rule into tokens the way Go's scanner does, including its automatic semicolon:
 * a newline right after an identifier, a literal or `)` ends the statement, so it is kept
 * as a `newline` token and the parser decides whether it is legal there (only at the end).
 */
export function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (at: number, message: string): never => {
    throw new RuleSyntaxError(rule, at + 1, message);
  };
  while (i < rule.length) {
    const c = rule[i];
    if (isSpace(c)) {
      const last = tokens[tokens.length - 1];
      if (c === '\n' && last && (last.kind === 'ident' || last.kind === 'string' || last.kind === 'char' || last.kind === 'number' || last.kind === ')')) {
        tokens.push({ kind: 'newline', value: '\n', at: i });
      }
      i++;
      continue;
    }
    const start = i;
    if (c === '&' || c === '|') {
      if (rule[i + 1] === c) {
        tokens.push({ kind: c === '&' ? '&&' : '||', value: c + c, at: start });
        i += 2;
        continue;
      }
      fail(start, `'${c}' is not an operator, use '${c}${c}'`);
    }
    if (c === '!' || c === '(' || c === ')' || c === ',') {
      if (c === '!' && rule[i + 1] === '=') fail(start, `'!=' is not an operator; negate a matcher with '!'`);
      tokens.push({ kind: c, value: c, at: start });
      i++;
      continue;
    }
    if (c === '`') {
      const end = rule.indexOf('`', i + 1);
      if (end < 0) fail(start, 'raw string literal not terminated');
      // Go discards carriage returns inside raw string literals.
      tokens.push({ kind: 'string', value: rule.slice(i + 1, end).replaceAll('\r', ''), at: start, raw: true });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = scanQuoted(rule, i, fail);
      tokens.push({ kind: c === '"' ? 'string' : 'char', value, at: start });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < rule.length && /[0-9A-Za-z_.]/.test(rule[i])) i++;
      tokens.push({ kind: 'number', value: rule.slice(start, i), at: start });
      continue;
    }
    const cp = String.fromCodePoint(rule.codePointAt(i) ?? 0);
    if (isIdentStart(cp)) {
      i += cp.length;
      while (i < rule.length) {
        const next = String.fromCodePoint(rule.codePointAt(i) ?? 0);
        if (!isIdentPart(next)) break;
        i += next.length;
      }
      tokens.push({ kind: 'ident', value: rule.slice(start, i), at: start });
      continue;
    }
    if (c === '=' && rule[i + 1] === '=') fail(start, `'==' is not an operator`);
    // Other Go operators are tokens to Go's scanner: let the parser report them in context.
    if ('.+-*/%<>=^~:;[]{}'.includes(c)) {
      tokens.push({ kind: 'other', value: c, at: start });
      i++;
      continue;
    }
    fail(start, `unexpected character ${JSON.stringify(cp)}`);
  }
  tokens.push({ kind: 'eof', value: '', at: rule.length });
  return tokens;
}

const simpleEscapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Decodes a Go interpreted string literal (or rune literal, which the parser rejects later).
 * Octal and `\x` escapes are bytes, so the value is assembled as UTF-8 and decoded at the end.
 */
function scanQuoted(rule: string, start: number, fail: (at: number, message: string) => never): { value: string; end: number } {
  const quote = rule[start];
  const bytes: number[] = [];
  const pushText = (text: string): void => {
    for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
  };
  let i = start + 1;
  for (;;) {
    if (i >= rule.length) fail(start, 'string literal not terminated');
    const c = rule[i];
    if (c === quote) break;
    if (c === '\n') fail(i, 'newline in string literal');
    if (c !== '\\') {
      const cp = String.fromCodePoint(rule.codePointAt(i) ?? 0);
      pushText(cp);
      i += cp.length;
      continue;
    }
    const e = rule[i + 1] ?? '';
    if (e in simpleEscapes) {
      bytes.push(simpleEscapes[e]);
      i += 2;
    } else if (e === quote) {
      bytes.push(quote.charCodeAt(0));
      i += 2;
    } else if (/[0-7]/.test(e)) {
      const digits = rule.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) fail(i, 'octal escape needs exactly 3 digits');
      const n = parseInt(digits, 8);
      if (n > 255) fail(i, `octal escape value ${n} > 255`);
      bytes.push(n);
      i += 4;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = rule.slice(i + 2, i + 2 + len);
      if (hex.length !== len || !/^[0-9A-Fa-f]+$/.test(hex)) fail(i, `\\${e} escape needs ${len} hexadecimal digits`);
      const n = parseInt(hex, 16);
      if (e === 'x') bytes.push(n);
      else if (n > 0x10ffff || (n >= 0xd800 && n < 0xe000)) fail(i, 'escape sequence is an invalid Unicode code point');
      else pushText(String.fromCodePoint(n));
      i += 2 + len;
    } else {
      fail(i, `unknown escape sequence \\${e} in double-quoted string (write \\\\${e} or use backticks)`);
    }
  }
  return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
}
