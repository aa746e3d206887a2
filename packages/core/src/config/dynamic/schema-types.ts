/**
 * The kinds of values a dynamic-configuration field holds.
 *
 * - scalars: `string`, `int`, `float`, `bool`, `duration` (Go syntax or whole seconds);
 * - `stringList`, `intList`: lists (a comma-separated string in labels);
 * - `stringMap`, `intMap`: maps whose keys are data (header names, status ranges) and keep their case;
 * - `struct`: a nested object; `structList`: a list of them (`tls.domains`, indexed `[0]` in labels);
 * - `structMap`: named elements (`routers.<name>`), names keep their case;
 * - `freeform`: any JSON-like value, kept as is (plugin configuration).
 */
export type FieldKind =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'duration'
  | 'stringList'
  | 'intList'
  | 'stringMap'
  | 'intMap'
  | 'struct'
  | 'structList'
  | 'structMap'
  | 'freeform';

/**
 * One field of a struct. `T` is the TypeScript type of its decoded value: the configuration types
 * (`types.ts`) are derived from the schema through it, so the two cannot drift.
 */
export interface FieldSchema<T = unknown> {
  /** Type-level only: the decoded value's type. Never set at run time. */
  readonly __value?: T;
  readonly kind: FieldKind;
  /** Element schema for `struct`, `structList` and `structMap`. */
  readonly struct?: StructSchema;
  /**
   * Traefik's `allowEmpty`: the struct may exist with no sub-field (`tls: {}`); in labels it is
   * switched on by the value `true` and off by any other value.
   */
  readonly allowEmpty?: boolean;
  /** Only labels may set it (`server.port`, `server.scheme`): the provider resolves it. */
  readonly labelOnly?: boolean;
  /** Labels cannot reach it (`weighted`, `serversTransports`, `parentRefs`). */
  readonly noLabel?: boolean;
  /** A `structList` that labels spell as one singular element (`server` for `servers`). */
  readonly labelSingular?: string;
  /** Set on sections Wharf does not serve yet; decoders report it as a warning. */
  readonly unsupported?: string;
  /**
   * Accepted (Traefik has it) but not applied by Wharf: when the field is written, decoders
   * report this sentence as a warning at its path, and the element shows it (status `warning`).
   */
  readonly ignored?: string;
}

/** A struct: its fields by canonical camelCase name, plus creation-time behaviour. `T` is the decoded object's type. */
export interface StructSchema<T = Record<string, unknown>> {
  /** Type-level only: the decoded object's type. Never set at run time. */
  readonly __value?: T;
  readonly fields: Readonly<Record<string, FieldSchema>>;
  /** Values set when the struct is created, before the written fields. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** At most one of these fields may be set (service kinds, middleware types). */
  readonly exclusive?: readonly string[];
  /** What one of the exclusive fields is called in messages (`service kind`, `middleware type`). */
  readonly exclusiveWhat?: string;
  /** Unknown keys are kept as free-form values under their written name (plugin middleware types). */
  readonly openFields?: boolean;
  /** Unknown keys are silently dropped (the configuration root, as in Traefik). */
  readonly ignoreUnknown?: boolean;
}

/** The decoded type of a field or struct schema. */
export type Decoded<S> = S extends FieldSchema<infer T> ? T : S extends StructSchema<infer T> ? T : never;

/** A duration as written in configuration: Go syntax (`"1m30s"`) or integer seconds. */
export type Duration = string | number;
