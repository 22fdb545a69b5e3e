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

/**
 * Parses every variable of every slice at once, before any slice is built, so that a malformed
 * value is named even when a slice's own check (a missing production secret, say) would fail too.
 */
export function parseVariables(slices: readonly { variables: Variables }[], present: Record<string, string>): Record<string, unknown> {
  const shape = Object.fromEntries(slices.flatMap((slice) => Object.entries(slice.variables).map(([name, variable]) => [name, variable.schema])));
  const parsed = z.object(shape).safeParse(present);
  if (!parsed.success) throw new ConfigError(issueLine(parsed.error.issues[0]!));
  return parsed.data;
}

/** Builds the slice's part of the configuration from the parsed variables. */
export function readSlice<V extends Variables, Built extends object>(slice: ConfigSlice<V, Built>, parsed: Record<string, unknown>, context: BuildContext): Built {
  return slice.build(parsed as ParsedVariables<V>, context);
}
