import { positionFinder, type KeyLocation, type Position } from './source-position.js';

/** What a scan of JSON text found: the position of every key and list item, or the first syntax error. */
export interface JsonScan {
  readonly locations: KeyLocation[];
  readonly error?: { readonly position: Position; readonly message: string };
}

class JsonSyntax extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/**
 * Scans JSON text for key positions. `JSON.parse` does the real parsing; this scanner exists
 * because V8 reports some syntax errors without an offset and never reports where a key is.
 */
export function scanJson(text: string): JsonScan {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return { locations: scanner.locations };
  } catch (err) {
    if (!(err instanceof JsonSyntax)) throw err;
    return { locations: scanner.locations, error: { position: scanner.at(err.offset), message: err.message } };
  }
}

class JsonScanner {
  readonly locations: KeyLocation[] = [];
  readonly at: (offset: number) => Position;
  private i = 0;
  constructor(private readonly text: string) {
    this.at = positionFinder(text);
  }

  document(): void {
    this.ws();
    if (this.i >= this.text.length) return;
    this.value([]);
    this.ws();
    if (this.i < this.text.length) this.fail(`unexpected ${this.describe()} after the JSON value`);
  }

  private value(path: string[]): void {
    this.ws();
    const c = this.text[this.i];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else if (!this.literal()) this.fail(`unexpected ${this.describe()}, expected a value`);
  }

  private object(path: string[]): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') return void this.i++;
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') this.fail(`unexpected ${this.describe()}, expected a double-quoted property name`);
      const start = this.i;
      const key = this.string();
      this.locations.push({ path: [...path, key], ...this.at(start) });
      this.ws();
      if (this.text[this.i] !== ':') this.fail(`unexpected ${this.describe()}, expected ':' after the property name`);
      this.i++;
      this.value([...path, key]);
      this.ws();
      const next = this.text[this.i];
      this.i++;
      if (next === '}') return;
      if (next !== ',') this.fail(`unexpected ${this.describe(this.i - 1)}, expected ',' or '}'`, this.i - 1);
    }
  }

  private array(path: string[]): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') return void this.i++;
    for (let index = 0; ; index++) {
      this.ws();
      this.locations.push({ path: [...path, String(index)], ...this.at(this.i) });
      this.value([...path, String(index)]);
      this.ws();
      const next = this.text[this.i];
      this.i++;
      if (next === ']') return;
      if (next !== ',') this.fail(`unexpected ${this.describe(this.i - 1)}, expected ',' or ']'`, this.i - 1);
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        try {
          return JSON.parse(this.text.slice(start, this.i)) as string;
        } catch {
          this.fail('invalid string', start);
        }
      } else if (c === '\n') this.fail('unterminated string', start);
      else this.i++;
    }
    this.fail('unterminated string', start);
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!match) this.fail(`invalid number`);
    this.i += match[0].length;
  }

  private literal(): boolean {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return true;
      }
    }
    return false;
  }

  private ws(): void {
    while (this.i < this.text.length && ' \t\r\n'.includes(this.text[this.i]!)) this.i++;
  }

  private describe(at = this.i): string {
    return at >= this.text.length ? 'end of input' : `character ${JSON.stringify(this.text[at])}`;
  }

  private fail(message: string, at = this.i): never {
    throw new JsonSyntax(at, message);
  }
}
