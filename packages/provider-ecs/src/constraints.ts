/**
 * Traefik's label constraints (spec/ecs-provider.md §6): `Label(key, value)` (exact),
 * `LabelRegex(key, re)` (unanchored search), `&&`, `||`, `!`, parentheses; strings in backticks
 * or double quotes. Parsed once at start-up; an empty expression matches everything.
 */
import { ConfigError } from '@wharf/core';

/** A compiled constraint: true when a container's labels match. */
export type LabelConstraint = (labels: Readonly<Record<string, string>>) => boolean;

type Token = { kind: 'op'; value: '&&' | '||' | '!' | '(' | ')' | ',' } | { kind: 'ident'; value: string } | { kind: 'string'; value: string };

function fail(expression: string, reason: string): ConfigError {
  return new ConfigError('providers.ecs.constraints', `invalid constraints ${JSON.stringify(expression)}: ${reason}`, { code: 'ECS_CONSTRAINTS' });
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(&&|\|\||!|\(|\)|,)|([A-Za-z_][A-Za-z0-9_]*)|`([^`]*)`|"((?:[^"\\]|\\.)*)")/y;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = re.exec(expression)) !== null) {
    end = re.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'op', value: match[1] as '&&' });
    else if (match[2] !== undefined) tokens.push({ kind: 'ident', value: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', value: match[3] });
    else tokens.push({ kind: 'string', value: JSON.parse(`"${match[4]!}"`) as string });
  }
  if (expression.slice(end).trim() !== '') throw fail(expression, `unexpected text at column ${end + 1}`);
  return tokens;
}

/** Go's RE2 inline `(?i)` has no JavaScript equivalent before Node 23; map the common leading form. */
function compileRegex(expression: string, source: string): RegExp {
  const insensitive = source.startsWith('(?i)');
  try {
    return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'iu' : 'u');
  } catch (err) {
    throw fail(expression, `bad regular expression ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
}

/**
 * Compiles a constraints expression.
 * @throws ConfigError (`providers.ecs.constraints`) on a syntax error, an unknown function or a bad regex.
 */
export function compileConstraints(expression: string): LabelConstraint {
  if (expression.trim() === '') return () => true;
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => peek()?.kind === 'op' && peek()!.value === value;
  const expect = (value: string): void => {
    if (!isOp(value)) throw fail(expression, `expected "${value}"${peek() ? ` before "${peek()!.value}"` : ' at the end'}`);
    pos++;
  };
  const str = (): string => {
    const token = peek();
    if (token?.kind !== 'string') throw fail(expression, 'expected a quoted string');
    pos++;
    return token.value;
  };
  const call = (): LabelConstraint => {
    const token = peek();
    if (token?.kind !== 'ident') throw fail(expression, token ? `unexpected "${token.value}"` : 'unexpected end');
    pos++;
    expect('(');
    const key = str();
    expect(',');
    const value = str();
    expect(')');
    if (token.value === 'Label') return (labels) => (labels[key] ?? '') === value;
    if (token.value === 'LabelRegex') {
      const re = compileRegex(expression, value);
      return (labels) => re.test(labels[key] ?? '');
    }
    throw fail(expression, `unknown function ${token.value} (use Label or LabelRegex)`);
  };
  const unary = (): LabelConstraint => {
    if (isOp('!')) {
      pos++;
      const inner = unary();
      return (labels) => !inner(labels);
    }
    if (isOp('(')) {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    return call();
  };
  const and = (): LabelConstraint => {
    let left = unary();
    while (isOp('&&')) {
      pos++;
      const l = left;
      const r = unary();
      left = (labels) => l(labels) && r(labels);
    }
    return left;
  };
  const or = (): LabelConstraint => {
    let left = and();
    while (isOp('||')) {
      pos++;
      const l = left;
      const r = and();
      left = (labels) => l(labels) || r(labels);
    }
    return left;
  };
  const result = or();
  if (pos < tokens.length) throw fail(expression, `unexpected "${tokens[pos]!.value}"`);
  return result;
}
