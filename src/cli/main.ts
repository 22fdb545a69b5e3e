/**
 * `npm run cli -- <command>`: manage users from a terminal, on the database DATABASE_URL names.
 * Exit codes: 0 done, 1 refused (bad input, unknown user, taken email, unreachable database),
 * 2 the command line itself is wrong.
 */
import { GraphQLError } from 'graphql';
import { ConfigError } from '../config.js';
import { DatabaseUnavailableError } from '../db/database.js';
import { DirectoryLockedError } from '../db/directory-lock.js';
import { MigrationError } from '../db/migrate.js';
import { type Command, UsageError } from './command.js';
import { createUser } from './commands/create-user.js';
import { hashPassword } from './commands/hash-password.js';
import { listUsers } from './commands/list-users.js';
import { grantRole, revokeRole } from './commands/role-change.js';
import { disableUser, enableUser } from './commands/user-disabled.js';

const COMMANDS: readonly Command[] = [createUser, grantRole, revokeRole, disableUser, enableUser, listUsers, hashPassword];

const HELP = `Usage: npm run cli -- <command> [options]

Manages the API's users on the database DATABASE_URL names (the embedded one in .data/pglite by
default; stop the server first, the embedded database takes one process at a time). A new
database is migrated first.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(14)}${command.summary}`).join('\n')}

Run "npm run cli -- <command> --help" for a command's options.`;

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

async function run(argv: string[]): Promise<string> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('a command is required; run with --help to list them');
  if (name === '--help' || name === '-h' || name === 'help') return HELP;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"; expected one of: ${COMMANDS.map((c) => c.name).join(', ')}`);
  if (wantsHelp(rest)) return command.help;
  return command.run(rest);
}

const EXPECTED_FAILURES = [GraphQLError, ConfigError, DatabaseUnavailableError, DirectoryLockedError, MigrationError];

run(process.argv.slice(2)).then(
  (output) => {
    process.stdout.write(`${output}\n`);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      process.exitCode = 2;
    } else if (EXPECTED_FAILURES.some((type) => error instanceof type)) {
      console.error(`error: ${(error as Error).message}`);
      process.exitCode = 1;
    } else {
      console.error('error: unexpected failure:', error);
      process.exitCode = 1;
    }
  },
);
