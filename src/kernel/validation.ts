/** Input validation shared by the modules: zod schemas whose failures become BAD_USER_INPUT naming the field. */
import { z } from 'zod';
import { badUserInput } from './errors.js';

export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'input';
  throw badUserInput(field, `${field}: ${issue.message}`);
}

/** Trimmed text of a bounded length. */
export const text = (min: number, max: number) =>
  z.string().trim().min(min, `must be at least ${min} character${min === 1 ? '' : 's'}`).max(max, `must be at most ${max} characters`);

export const httpUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    return ['http:', 'https:'].includes(new URL(value).protocol);
  }, 'must be an http or https URL');

/** Ids are UUIDs; anything else cannot exist, so it is NOT_FOUND rather than a database error. */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Drops keys whose value is undefined or null (a partial update changes only what is given). */
export function definedOnly<T extends Record<string, unknown>>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null)) as never;
}
