/** Small constructors that keep the schema tables readable, and carry each field's TypeScript type. */
import type { Duration, FieldSchema, StructSchema } from './schema-types.js';

export const str: FieldSchema<string> = { kind: 'string' };
export const int: FieldSchema<number> = { kind: 'int' };
export const float: FieldSchema<number> = { kind: 'float' };
export const bool: FieldSchema<boolean> = { kind: 'bool' };
export const duration: FieldSchema<Duration> = { kind: 'duration' };
export const strings: FieldSchema<string[]> = { kind: 'stringList' };
export const ints: FieldSchema<number[]> = { kind: 'intList' };
export const stringMap: FieldSchema<Record<string, string>> = { kind: 'stringMap' };
export const intMap: FieldSchema<Record<string, number>> = { kind: 'intMap' };
export const freeform: FieldSchema<unknown> = { kind: 'freeform' };

/** The decoded object of a struct with these fields: every field optional, as in Traefik. */
export type StructOf<F extends Record<string, FieldSchema<unknown>>> = { [K in keyof F]?: F[K] extends FieldSchema<infer T> ? T : never };

export function struct<F extends Record<string, FieldSchema<unknown>>>(
  fields: F,
  options: Omit<StructSchema, 'fields' | '__value'> = {},
): StructSchema<StructOf<F>> {
  return { fields, ...options };
}

export function sub<T>(schema: StructSchema<T>, options: { allowEmpty?: boolean } = {}): FieldSchema<T> {
  return { kind: 'struct', struct: schema as StructSchema, ...options };
}

export function list<T>(schema: StructSchema<T>): FieldSchema<T[]> {
  return { kind: 'structList', struct: schema as StructSchema };
}

export function named<T>(schema: StructSchema<T>): FieldSchema<Record<string, T>> {
  return { kind: 'structMap', struct: schema as StructSchema };
}

export function singular<T>(field: FieldSchema<T>, labelSingular: string): FieldSchema<T> {
  return { ...field, labelSingular };
}
