/** Parsing text leaves into typed values, as Traefik's paerser does (labels, KV, and strings in files). */
import { isDuration } from './duration.js';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A label value parsed for a field kind, or the reason it cannot be. */
export type ParsedValue<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Go's `strconv.ParseBool`: `1 t T TRUE true True` and `0 f F FALSE false False`, nothing else. */
export function parseLabelBool(text: string): ParsedValue<boolean> {
  if (TRUE.has(text)) return { ok: true, value: true };
  if (FALSE.has(text)) return { ok: true, value: false };
  return { ok: false, reason: `invalid boolean "${text}" (expected true, false, 1, 0, t or f)` };
}

/** A base-10 integer, optionally signed; no spaces, no decimals. */
export function parseLabelInt(text: string): ParsedValue<number> {
  if (/^[+-]?\d+$/.test(text)) {
    const value = Number.parseInt(text, 10);
    if (Number.isSafeInteger(value)) return { ok: true, value };
  }
  return { ok: false, reason: `invalid integer "${text}"` };
}

export function parseLabelFloat(text: string): ParsedValue<number> {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { ok: true, value: Number.parseFloat(text) };
  return { ok: false, reason: `invalid number "${text}"` };
}

/** Integer seconds (`"10"`) or a Go duration (`"1m30s"`); kept as written, checked here. */
export function parseLabelDuration(text: string): ParsedValue<string> {
  if (isDuration(text)) return { ok: true, value: text };
  return { ok: false, reason: `invalid duration "${text}" (expected whole seconds or Go syntax such as "1m30s")` };
}

/** A comma-separated list, items trimmed; empty items are dropped. */
export function splitLabelList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
