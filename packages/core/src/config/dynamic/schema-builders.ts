/** Small constructors that keep the schema tables readable. */
import type { FieldSchema, StructSchema } from './schema-types.js';

export const str: FieldSchema = { kind: 'string' };
export const int: FieldSchema = { kind: 'int' };
export const float: FieldSchema = { kind: 'float' };
export const bool: FieldSchema = { kind: 'bool' };
export const duration: FieldSchema = { kind: 'duration' };
export const strings: FieldSchema = { kind: 'stringList' };
export const ints: FieldSchema = { kind: 'intList' };
export const stringMap: FieldSchema = { kind: 'stringMap' };
export const intMap: FieldSchema = { kind: 'intMap' };
export const freeform: FieldSchema = { kind: 'freeform' };

export function struct(
  fields: Record<string, FieldSchema>,
  options: Omit<StructSchema, 'fields'> = {},
): StructSchema {
  return { fields, ...options };
}

export function sub(schema: StructSchema, options: { allowEmpty?: boolean } = {}): FieldSchema {
  return { kind: 'struct', struct: schema, ...options };
}

export function list(schema: StructSchema): FieldSchema {
  return { kind: 'structList', struct: schema };
}

export function named(schema: StructSchema): FieldSchema {
  return { kind: 'structMap', struct: schema };
}

export function singular(field: FieldSchema, labelSingular: string): FieldSchema {
  return { ...field, labelSingular };
}
