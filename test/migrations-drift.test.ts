import { describe, it, expect } from 'vitest';
import { diffSchemaAgainstMigrations } from '../scripts/migration-diff.js';

describe('prisma/migrations', () => {
  // Replays the history on an in-memory PGlite shadow database with Prisma's Wasm schema engine (~5 s).
  it('builds exactly the schema in prisma/schema.prisma', { timeout: 120_000 }, async () => {
    const missing = await diffSchemaAgainstMigrations();
    expect(
      missing,
      `schema.prisma and prisma/migrations drift apart; run \`npm run db:create-migration -- <name>\`. Missing SQL:\n${missing}`,
    ).toBe('');
  });
});
