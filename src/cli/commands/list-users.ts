/** `list-users`: every user with their roles, as a table or as JSON. */
import { permissionsOf, roleNamesOf } from '../../modules/users/users.mappers.js';
import { type Command, parseOptions } from '../command.js';
import { withServices } from '../database.js';

const OPTIONS = { json: { type: 'boolean' } } as const;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export const listUsers: Command = {
  name: 'list-users',
  summary: 'List every user with their roles',
  help: `Usage: npm run cli -- list-users [--json]

Lists every user, oldest first, with their roles; disabled ones are marked.

Options:
  --json      print a JSON array (id, email, fullName, roles, permissions, createdAt, disabled);
              with npm, use "npm run -s cli -- list-users --json" so npm prints nothing else
  -h, --help  show this help`,

  async run(argv) {
    const values = parseOptions(this.name, argv, OPTIONS);
    return withServices(async ({ users }) => {
      const all = await users.all();
      if (values.json) {
        return JSON.stringify(
          all.map((user) => ({
            id: user.id,
            email: user.email,
            fullName: user.fullName,
            roles: roleNamesOf(user),
            permissions: permissionsOf(user),
            createdAt: user.createdAt.toISOString(),
            disabled: user.disabledAt !== null,
          })),
          null,
          2,
        );
      }
      if (all.length === 0) return 'No users yet (create one with create-user)';
      return table([
        ['EMAIL', 'NAME', 'ROLES', 'CREATED', 'ID'],
        ...all.map((user) => [
          user.disabledAt ? `${user.email} (disabled)` : user.email,
          user.fullName,
          roleNamesOf(user).join(', ') || '—',
          user.createdAt.toISOString().slice(0, 10),
          user.id,
        ]),
      ]);
    });
  },
};
