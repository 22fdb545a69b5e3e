/** The value shapes several slices share: durations, flags, counts, ports. */
import { z } from 'zod';

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "900", "900s", "15m", "12h", "30d" → seconds (the format is checked before). */
export function toSeconds(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim())!;
  return Number(match[1]) * DURATION_UNITS[match[2] || 's']!;
}

export const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*[smhd]?$/, 'expected a duration such as 900, 15m, 12h or 30d')
  .transform(toSeconds)
  .refine((seconds) => seconds > 0, 'must be greater than zero');

/** A duration where 0 means "off". */
export const durationOrOff = z
  .string()
  .trim()
  .regex(/^\d+\s*[smhd]?$/, 'expected a duration such as 0 (off), 30s or 1m')
  .transform(toSeconds);

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const positiveInt = z.coerce.number().int().positive();

export const port = z.coerce.number().int().min(0).max(65535);

/** A comma-separated list, trimmed, empty entries dropped. */
export const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
