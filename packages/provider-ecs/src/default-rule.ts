/**
 * The subset of Go `text/template` (plus sprig) that Traefik users write in `defaultRule`
 * (spec/ecs-provider.md §8): text, `{{ .Name }}`, `{{ .Labels }}`, `{{ index .Labels "k" }}`,
 * `normalize`, pipelines, and sprig's `lower upper trim trimPrefix trimSuffix replace default`.
 * Anything else is rejected when the provider starts, instead of failing router by router.
 */
import { ConfigError } from '@wharf/core';
import { normalizeName } from './naming.js';

/** The data a default rule sees: the normalised service name and the container's labels. */
export interface RuleTemplateData {
  readonly Name: string;
  readonly Labels: Readonly<Record<string, string>>;
}

/** A compiled template; throws `Error` when a function fails at run time (e.g. `index` on a string). */
export type RuleTemplate = (data: RuleTemplateData) => string;

type Value = string | Readonly<Record<string, string>>;
type Operand = { kind: 'field'; name: 'Name' | 'Labels' } | { kind: 'string'; value: string } | { kind: 'func'; name: string };
type Command = Operand[];

const FUNCTIONS: Record<string, { arity: number; call: (...args: Value[]) => Value }> = {
  normalize: { arity: 1, call: (s) => normalizeName(text(s)) },
  lower: { arity: 1, call: (s) => text(s).toLowerCase() },
  upper: { arity: 1, call: (s) => text(s).toUpperCase() },
  trim: { arity: 1, call: (s) => text(s).trim() },
  trimPrefix: { arity: 2, call: (p, s) => (text(s).startsWith(text(p)) ? text(s).slice(text(p).length) : text(s)) },
  trimSuffix: { arity: 2, call: (p, s) => (text(p) !== '' && text(s).endsWith(text(p)) ? text(s).slice(0, -text(p).length) : text(s)) },
  replace: { arity: 3, call: (o, n, s) => text(s).split(text(o)).join(text(n)) },
  default: { arity: 2, call: (d, v) => (text(v) === '' ? d : v) },
  index: {
    arity: 2,
    call: (m, k) => {
      if (typeof m === 'string') throw new Error('index of a string');
      return Object.hasOwn(m, text(k)) ? m[text(k)]! : '';
    },
  },
};

function text(value: Value): string {
  if (typeof value !== 'string') throw new Error('a map where a string was expected');
  return value;
}

function syntax(template: string, reason: string): ConfigError {
  return new ConfigError('providers.ecs.defaultRule', `unsupported defaultRule template ${JSON.stringify(template)}: ${reason}`, { code: 'ECS_DEFAULT_RULE' });
}

/**
 * Compiles `template`.
 * @throws ConfigError (`providers.ecs.defaultRule`) on syntax outside the supported subset.
 */
export function compileRuleTemplate(template: string): RuleTemplate {
  const parts: Array<string | Command[]> = [];
  let rest = template;
  while (rest !== '') {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push(rest);
      break;
    }
    let literal = rest.slice(0, open);
    let body = rest.slice(open + 2);
    if (body.startsWith('- ')) {
      literal = literal.trimEnd();
      body = body.slice(1);
    }
    const close = body.indexOf('}}');
    if (close < 0) throw syntax(template, 'unclosed action "{{"');
    let action = body.slice(0, close);
    rest = body.slice(close + 2);
    if (action.endsWith(' -')) {
      action = action.slice(0, -1);
      rest = rest.trimStart();
    }
    if (literal !== '') parts.push(literal);
    parts.push(parsePipeline(template, action));
  }
  if (parts.some((p) => typeof p === 'string' && p.includes('}}'))) throw syntax(template, 'unexpected "}}"');
  return (data) => parts.map((part) => (typeof part === 'string' ? part : text(runPipeline(part, data)))).join('');
}

function parsePipeline(template: string, action: string): Command[] {
  const tokens = tokenize(template, action);
  const commands: Command[] = [[]];
  for (const token of tokens) {
    if (token === '|') commands.push([]);
    else commands.at(-1)!.push(operand(template, token));
  }
  commands.forEach((command, i) => {
    if (command.length === 0) throw syntax(template, 'empty command in a pipeline');
    const [head, ...args] = command;
    if (head!.kind !== 'func') {
      if (args.length > 0 || i > 0) throw syntax(template, 'only a function can take arguments or receive a pipeline');
      return;
    }
    if (args.some((a) => a.kind === 'func')) throw syntax(template, 'nested function calls need parentheses, which are not supported');
    const given = args.length + (i > 0 ? 1 : 0);
    if (given !== FUNCTIONS[head!.name]!.arity) throw syntax(template, `${head!.name} takes ${FUNCTIONS[head!.name]!.arity} argument(s), got ${given}`);
  });
  return commands;
}

function tokenize(template: string, action: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|"`]+)/y;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = re.exec(action)) !== null) {
    tokens.push(match[1]!);
    end = re.lastIndex;
  }
  if (action.slice(end).trim() !== '' || tokens.length === 0) throw syntax(template, `cannot read action {{${action}}}`);
  return tokens;
}

function operand(template: string, token: string): Operand {
  if (token.startsWith('"')) return { kind: 'string', value: JSON.parse(token) as string };
  if (token.startsWith('`')) return { kind: 'string', value: token.slice(1, -1) };
  if (token === '.Name' || token === '.Labels') return { kind: 'field', name: token.slice(1) as 'Name' | 'Labels' };
  if (token.startsWith('.')) throw syntax(template, `unknown field ${token} (the data has .Name and .Labels)`);
  if (Object.hasOwn(FUNCTIONS, token)) return { kind: 'func', name: token };
  throw syntax(template, `unsupported ${/^[a-z]/i.test(token) ? 'function or keyword' : 'token'} "${token}" (supported: ${Object.keys(FUNCTIONS).join(', ')})`);
}

function runPipeline(commands: Command[], data: RuleTemplateData): Value {
  let piped: Value | undefined;
  for (const [head, ...args] of commands) {
    const values = args.map((a) => evaluate(a, data));
    if (head!.kind === 'func') piped = FUNCTIONS[head!.name]!.call(...values, ...(piped === undefined ? [] : [piped]));
    else piped = evaluate(head!, data);
  }
  return piped!;
}

function evaluate(operand: Operand, data: RuleTemplateData): Value {
  if (operand.kind === 'string') return operand.value;
  if (operand.kind === 'field') return data[operand.name];
  throw new Error(`function ${operand.name} used as a value`);
}
