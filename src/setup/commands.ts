/**
 * `npm run db:migrate | db:seed | db:reset`: the data layer's command line, on the database
 * DATABASE_URL names (the embedded one by default).
 */
import { PasswordHasher } from '../auth/passwords.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { prepareDatabase } from './prepare.js';

const COMMANDS = ['migrate', 'seed', 'reset'] as const;

async function run(command: string): Promise<string> {
  if (!COMMANDS.includes(command as never)) throw new Error(`Unknown command "${command}"; expected one of: ${COMMANDS.join(', ')}`);
  const config = loadConfig();
  const db = await openDatabase({ url: config.database.url });
  const hasher = new PasswordHasher();
  try {
    if (command === 'reset') {
      if (config.isProduction) throw new Error('db:reset refuses to run with NODE_ENV=production');
      await db.sql.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    }
    if (command === 'migrate') {
      const applied = await migrate(db);
      return applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'No pending migrations';
    }
    const { applied, seeded } = await prepareDatabase(db, { demoData: { hasher, passwords: config.seed.passwords } });
    return [
      applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'No pending migrations',
      seeded ? 'Seeded the permissions catalog and demo data' : 'Permissions catalog synced; demo data already present',
    ].join('\n');
  } finally {
    await Promise.all([db.close(), hasher.close()]);
  }
}

run(process.argv[2] ?? '').then(
  (output) => console.log(output),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
