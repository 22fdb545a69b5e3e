/**
 * A slice of configuration: the variables one concern reads (each with its zod schema and the
 * lines .env.example shows for it) and how they become that concern's part of `Config`.
 * src/config.ts composes the slices; .env.example is rendered from them (scripts/env-example.ts).
 */
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface Variable<Schema extends z.ZodType = z.ZodType> {
  schema: Schema;
  /** What .env.example says above the variable, one comment line per line. */
  doc?: string;
  /** The value .env.example shows: the default as a user would spell it; absent when unset is the default. */
  shown?: string;
}

export type Variables = Record<string, Variable>;
export type ParsedVariables<V extends Variables> = { [Name in keyof V]: z.output<V[Name]['schema']> };

export interface BuildContext {
  /** NODE_ENV as set; undefined is production. */
  nodeEnv: 'development' | 'test' | 'production' | undefined;
  /** NODE_ENV unset or production: no development defaults. */
  production: boolean;
  /** Stops start-up with one line: "Invalid configuration: <message>". */
  fail(message: string): never;
}

export interface ConfigSlice<V extends Variables, Built extends object> {
  variables: V;
  build(env: ParsedVariables<V>, context: BuildContext): Built;
}

export const defineSlice = <V extends Variables, Built extends object>(slice: ConfigSlice<V, Built>): ConfigSlice<V, Built> => slice;

function issueLine(issue: z.core.$ZodIssue): string {
  return `Invalid configuration: ${issue.path.join('.') || 'environment'} ${issue.message}`;
}

function parseVariables(variables: Variables, present: Record<string, string>): Record<string, unknown> {
  const shape = Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, variable.schema]));
  const parsed = z.object(shape).safeParse(present);
  if (!parsed.success) throw new ConfigError(issueLine(parsed.error.issues[0]!));
  return parsed.data;
}

/**
 * Checks every variable of every slice before any slice is built, so that a malformed value is
 * named even when another slice's cross-check (a missing production secret, say) would fail too.
 */
export function checkVariables(slices: readonly { variables: Variables }[], present: Record<string, string>): void {
  parseVariables(Object.assign({}, ...slices.map((slice) => slice.variables)), present);
}

/** Parses the slice's variables out of `present` and builds its part of the configuration. */
export function readSlice<V extends Variables, Built extends object>(slice: ConfigSlice<V, Built>, present: Record<string, string>, context: BuildContext): Built {
  return slice.build(parseVariables(slice.variables, present) as ParsedVariables<V>, context);
}

/** One variable, read and checked as its slice would: for what decides the other slices' defaults. */
export function readVariable<Schema extends z.ZodType>(name: string, variable: Variable<Schema>, present: Record<string, string>): z.output<Schema> {
  return parseVariables({ [name]: variable }, present)[name] as z.output<Schema>;
}
