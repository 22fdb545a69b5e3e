/**
 * Creates prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the migration
 * history and prisma/schema.prisma, offline (see migration-diff.ts).
 * Usage: npm run db:create-migration -- <name>
 */
import path from 'node:path';
import { createMigration } from './migration-diff.js';

const name = process.argv[2];
try {
  if (!name || process.argv.length > 3) throw new Error('usage: npm run db:create-migration -- <name>');
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be snake_case ([a-z0-9_]+), got "${name}"`);
  const created = await createMigration(name);
  console.log(created ? `Created ${path.relative(process.cwd(), created.file)}` : 'No changes');
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`create-migration: ${message.replace(/\s*\n\s*/g, ' ')}`);
  process.exitCode = 1;
}
