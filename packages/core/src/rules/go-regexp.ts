import { RE2JS } from 're2js';

/**
 * Translation of Go (RE2) regular expressions to JavaScript `RegExp`s with the `u` flag, used to
 * validate rule regexps with located errors; matching itself runs on re2js ({@link compileGoRegexp}).
 * Only matching is needed (never captures), so named groups become plain groups. Constructs
 * that Go rejects (backreferences, lookarounds) are rejected here too; inline flags are
 * supported at the start of a pattern only, since Node 20 has no scoped modifiers.
 */

/** A Go regexp that Go would reject, or that has no JavaScript equivalent. */
export class GoRegexpError extends Error {
  /** 0-based offset in the pattern. */
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const jsSyntax = new Set('^$\\.*+?()[]{}|/'.split(''));
/** Escapes one literal character for a `u`-mode JavaScript pattern, in or out of a class. */
export const escapeLiteralChar = (c: string): string => (jsSyntax.has(c) || c === '-' ? (c === '-' ? '\\x2d' : `\\${c}`) : c);
/** Escapes literal text for a `u`-mode JavaScript pattern. */
export const escapeLiteral = (text: string): string => Array.from(text, escapeLiteralChar).join('');

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const generalCategories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

/** Go's `\s` is ASCII-only, unlike JavaScript's. */
const goSpace = '\\t\\n\\f\\r ';

/** A compiled rule regexp: true when it matches somewhere in `input` (Go's `MatchString`). */
export interface LinearRegexp {
  test(input: string): boolean;
}

/**
 * Compiles a Go regexp for matching with RE2 semantics (re2js, a port of Go's own `regexp`),
 * whose time is linear in the input: a pattern such as `^(a+)+$` cannot stall the event loop on a
 * long header, as it would with a backtracking `RegExp` (Traefik, on Go's RE2, has the same
 * guarantee). The pattern is first checked by {@link translateGoRegexp}, which rejects what Go
 * rejects with an offset. `caseInsensitive` matches case-insensitively (gorilla host templates).
 * @throws GoRegexpError
 */
export function compileGoRegexp(pattern: string, options: { caseInsensitive?: boolean } = {}): LinearRegexp {
  translateGoRegexp(pattern, options.caseInsensitive === true);
  return compileRe2(pattern, options.caseInsensitive === true ? RE2JS.CASE_INSENSITIVE : 0, pattern);
}

/** Compiles RE2 syntax with re2js; errors quote `shown` as an invalid `what`. */
export function compileRe2(source: string, flags: number, shown: string, what = 'regexp'): LinearRegexp {
  try {
    return RE2JS.compile(source, flags);
  } catch (err) {
    throw new GoRegexpError(0, `invalid ${what} ${JSON.stringify(shown)}: ${(err as Error).message}`);
  }
}

/** Go's `regexp.QuoteMeta`: literal text in RE2 syntax. */
export function quoteMeta(text: string): string {
  return RE2JS.quote(text);
}

/** Translates a Go regexp, or a gorilla variable fragment embedded in a larger pattern. */
export function translateGoRegexp(pattern: string, caseInsensitive = false): { source: string; flags: string } {
  const flags: Flags = { i: caseInsensitive, m: false, s: false, U: false };
  let i = 0;
  for (;;) {
    const m = /^\(\?([imsU-]*)\)/.exec(pattern.slice(i));
    if (!m) break;
    applyFlags(flags, m[1], i);
    i += m[0].length;
  }
  const source = new Translator(pattern, i, flags).run();
  return { source, flags: `u${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}` };
}

function applyFlags(flags: Flags, spec: string, at: number): void {
  let on = true;
  if (spec === '' || spec.endsWith('-') || spec.indexOf('-') !== spec.lastIndexOf('-')) throw new GoRegexpError(at, 'missing or invalid flags in group');
  for (const f of spec) {
    if (f === '-') on = false;
    else flags[f as keyof Flags] = on;
  }
}

class Translator {
  private out = '';
  constructor(
    private readonly p: string,
    private i: number,
    private readonly flags: Flags,
  ) {}

  run(): string {
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i];
      switch (c) {
        case '\\':
          this.out += this.escape(false);
          break;
        case '[':
          this.charClass();
          break;
        case '(':
          this.group();
          break;
        case '.':
          this.out += this.flags.s ? '[^]' : '[^\\n]';
          this.i++;
          break;
        case '*':
        case '+':
        case '?':
          this.i++;
          this.quantifier(c);
          break;
        case '{': {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i));
          if (m) {
            this.i += m[0].length;
            this.quantifier(m[0]);
          } else {
            // Go reads a brace that does not form a repetition as a literal.
            this.out += '\\{';
            this.i++;
          }
          break;
        }
        case '}':
        case ']':
          this.out += `\\${c}`;
          this.i++;
          break;
        default: {
          const cp = String.fromCodePoint(p.codePointAt(this.i) ?? 0);
          this.out += cp;
          this.i += cp.length;
        }
      }
    }
    return this.out;
  }

  /** `U` (ungreedy) swaps the meaning of the trailing `?`. */
  private quantifier(q: string): void {
    let lazy = false;
    if (this.p[this.i] === '?') {
      lazy = true;
      this.i++;
    }
    if (this.flags.U) lazy = !lazy;
    this.out += q + (lazy ? '?' : '');
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.out += '(';
      this.i++;
      return;
    }
    if (/^\(\?(=|!|<=|<!)/.test(rest)) throw new GoRegexpError(this.i, 'lookaround assertions are not supported by Go regexps');
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named) {
      if (!/^[A-Za-z0-9_]+$/.test(named[1])) throw new GoRegexpError(this.i, `invalid named capture ${JSON.stringify(named[1])}`);
      this.out += '(';
      this.i += named[0].length;
      return;
    }
    const flagged = /^\(\?([imsU-]*)(:|\))/.exec(rest);
    if (!flagged) throw new GoRegexpError(this.i, 'invalid or unsupported Perl syntax');
    if (flagged[1] !== '') {
      const scoped: Flags = { ...this.flags };
      applyFlags(scoped, flagged[1], this.i);
      if (scoped.i !== this.flags.i || scoped.m !== this.flags.m || scoped.s !== this.flags.s || scoped.U !== this.flags.U) {
        throw new GoRegexpError(this.i, 'inline flags are only supported at the start of the pattern');
      }
    } else if (flagged[2] === ')') {
      throw new GoRegexpError(this.i, 'missing or invalid flags in group');
    }
    this.out += flagged[2] === ':' ? '(?:' : '';
    this.i += flagged[0].length;
  }

  private charClass(): void {
    const p = this.p;
    const start = this.i;
    this.i++;
    let body = '';
    let negated = false;
    if (p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let first = true;
    for (;;) {
      if (this.i >= p.length) throw new GoRegexpError(start, 'missing closing ]');
      const c = p[this.i];
      if (c === ']' && !first) break;
      first = false;
      if (c === '\\') {
        body += this.escape(true);
        continue;
      }
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.i));
        if (posix) {
          const cls = posixClasses[posix[2]];
          if (!cls) throw new GoRegexpError(this.i, `invalid character class range ${posix[0]}`);
          if (posix[1]) throw new GoRegexpError(this.i, `negated POSIX class ${posix[0]} is not supported`);
          body += cls;
          this.i += posix[0].length;
          continue;
        }
      }
      const cp = String.fromCodePoint(p.codePointAt(this.i) ?? 0);
      body += cp === '-' ? '-' : escapeLiteralChar(cp);
      this.i += cp.length;
    }
    this.i++;
    this.out += `[${negated ? '^' : ''}${body}]`;
  }

  /** Translates the escape at `this.i` (a backslash) and advances past it. */
  private escape(inClass: boolean): string {
    const p = this.p;
    const at = this.i;
    const e = p[at + 1];
    if (e === undefined) throw new GoRegexpError(at, 'trailing backslash at end of expression');
    this.i += 2;
    switch (e) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'f':
      case 't':
      case 'n':
      case 'r':
      case 'v':
        return `\\${e}`;
      case 'a':
        return '\\x07';
      case 's':
        return inClass ? goSpace : `[${goSpace}]`;
      case 'S':
        return inClass ? '\\S' : `[^${goSpace}]`;
      case 'b':
      case 'B':
        if (inClass) throw new GoRegexpError(at, `invalid escape sequence \\${e} in character class`);
        return `\\${e}`;
      case 'A':
      case 'z':
        if (inClass) throw new GoRegexpError(at, `invalid escape sequence \\${e} in character class`);
        return e === 'A' ? '(?<![^])' : '(?![^])';
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const literal = p.slice(this.i, end < 0 ? p.length : end);
        this.i = end < 0 ? p.length : end + 2;
        return escapeLiteral(literal);
      }
      case 'x':
        return this.hexEscape(at);
      case 'p':
      case 'P':
        return this.unicodeClass(at, e === 'P', inClass);
    }
    if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(p.slice(at + 1))![0];
      // A lone \1-\7 would be a backreference, which RE2 does not have.
      if (e !== '0' && digits.length === 1) throw new GoRegexpError(at, `backreferences are not supported (\\${e})`);
      this.i = at + 1 + digits.length;
      return `\\u{${parseInt(digits, 8).toString(16)}}`;
    }
    if (/[!-/:-@[-`{-~]/.test(e)) return escapeLiteralChar(e);
    throw new GoRegexpError(at, `invalid escape sequence \\${e}`);
  }

  private hexEscape(at: number): string {
    const p = this.p;
    if (p[this.i] === '{') {
      const m = /^\{([0-9A-Fa-f]{1,8})\}/.exec(p.slice(this.i));
      if (!m || parseInt(m[1], 16) > 0x10ffff) throw new GoRegexpError(at, 'invalid escape sequence \\x{...}');
      this.i += m[0].length;
      return `\\u{${m[1]}}`;
    }
    const hex = p.slice(this.i, this.i + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new GoRegexpError(at, 'invalid escape sequence \\x');
    this.i += 2;
    return `\\x${hex}`;
  }

  private unicodeClass(at: number, negated: boolean, inClass: boolean): string {
    const p = this.p;
    let name: string;
    if (p[this.i] === '{') {
      const end = p.indexOf('}', this.i);
      if (end < 0) throw new GoRegexpError(at, 'invalid character class range');
      name = p.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = p[this.i] ?? '';
      this.i++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) throw new GoRegexpError(at, `invalid character class range \\p{${name}}`);
    if (name === 'Any') {
      if (negated) throw new GoRegexpError(at, '\\P{Any} matches nothing and is not supported');
      return inClass ? '\\u{0}-\\u{10ffff}' : '[^]';
    }
    const property = generalCategories.has(name) ? name : `Script=${name}`;
    return `\\${negated ? 'P' : 'p'}{${property}}`;
  }
}
