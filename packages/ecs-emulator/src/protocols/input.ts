import { AwsServiceError } from '../aws-error.js';

/** A decoded JSON request body. */
export type JsonInput = Readonly<Record<string, unknown>>;

// Wrongly typed members are what AWS JSON services report as SerializationException.
function wrongType(member: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', 400, `Member '${member}' must be ${expected}.`);
}

export function optionalString(input: JsonInput, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(member, 'a string');
  return value;
}

export function requiredString(input: JsonInput, member: string, missing: () => AwsServiceError): string {
  const value = optionalString(input, member);
  if (value === undefined || value === '') throw missing();
  return value;
}

export function optionalNumber(input: JsonInput, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw wrongType(member, 'a number');
  return value;
}

export function stringList(input: JsonInput, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw wrongType(member, 'a list of strings');
  return value as string[];
}

export function objectList(input: JsonInput, member: string): JsonInput[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) {
    throw wrongType(member, 'a list of structures');
  }
  return value as JsonInput[];
}

export function optionalObject(input: JsonInput, member: string): JsonInput | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(member, 'a structure');
  return value as JsonInput;
}
