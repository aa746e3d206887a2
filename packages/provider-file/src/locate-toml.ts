import type { KeyLocation } from './source-position.js';

/**
 * Best-effort positions of the keys of a TOML document, read line by line: table headers
 * (`[http.routers.api]`), arrays of tables (`[[…servers]]`, numbered as the decoder numbers
 * list items) and `key = value` lines, dotted keys included. Keys inside inline tables and
 * multi-line arrays are not listed; issues there point at the enclosing key. smol-toml reports
 * syntax errors with their own line and column, so this only serves decode issues on valid TOML.
 */
export function locateTomlKeys(text: string): KeyLocation[] {
  const locations: KeyLocation[] = [];
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let multiline: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (multiline !== undefined) {
      if (raw.includes(multiline)) multiline = undefined;
      return;
    }
    const header = /^(\s*)(\[\[?)\s*([^\]]+?)\s*\]\]?/.exec(raw);
    if (header) {
      const keys = splitDottedKey(header[3]!);
      if (header[2] === '[[') {
        const id = keys.join('.').toLowerCase();
        const count = arrayCounts.get(id) ?? 0;
        arrayCounts.set(id, count + 1);
        table = [...keys, String(count)];
      } else table = keys;
      locations.push({ path: table, line, column: header[1]!.length + header[2]!.length + 1 });
      return;
    }
    const pair = /^(\s*)((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=(.*)$/.exec(raw);
    if (!pair) return;
    locations.push({ path: [...table, ...splitDottedKey(pair[2]!)], line, column: pair[1]!.length + 1 });
    const value = pair[3]!.trim();
    for (const quote of ['"""', "'''"]) {
      if (value.startsWith(quote) && !value.slice(3).includes(quote)) multiline = quote;
    }
  });
  return locations;
}

/** `a."b.c".d` → `['a', 'b.c', 'd']`. */
function splitDottedKey(key: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^.\s"']+))\s*(?:\.|$)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(key)) !== null && match[0] !== '') {
    parts.push(match[1] !== undefined ? unescapeBasic(match[1]) : (match[2] ?? match[3]!));
  }
  return parts;
}

function unescapeBasic(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}
