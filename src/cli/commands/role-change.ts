/** `grant-role` and `revoke-role`: the same change the assignRole / revokeRole mutations make, by email. */
import { ROLE_NAMES } from '../../kernel/permissions.js';
import { notFound } from '../../kernel/errors.js';
import { roleNamesOf } from '../../modules/users/users.mappers.js';
import { type Command, parseOptions, required } from '../command.js';
import { withServices } from '../database.js';

const OPTIONS = { email: { type: 'string' }, role: { type: 'string' } } as const;

function roleChangeCommand(change: 'grant' | 'revoke'): Command {
  const name = `${change}-role`;
  return {
    name,
    summary: change === 'grant' ? "Grant a role to a user (takes effect in the user's next access token)" : 'Revoke a role from a user',
    help: `Usage: npm run cli -- ${name} --email <email> --role <role>

${change === 'grant' ? 'Grants the role to the user; granting a role they hold changes nothing.' : 'Revokes the role from the user; revoking a role they do not hold changes nothing.'}
Access tokens already issued keep their permissions until they expire.

Options:
  --email <email>  the user's email
  --role <role>    one of: ${ROLE_NAMES.join(', ')}
  -h, --help       show this help`,

    async run(argv) {
      const values = parseOptions(name, argv, OPTIONS);
      const email = required(name, 'email', values.email);
      const role = required(name, 'role', values.role);
      return withServices(async ({ users, invalidateAs }) => {
        const user = await users.findByEmail(email);
        if (!user) throw notFound(`User with email ${email}`);
        const input = { userId: user.id, role };
        const updated = change === 'grant' ? await users.assignRole(input) : await users.revokeRole(input);
        await invalidateAs(change === 'grant' ? 'mutation { assignRole { id } }' : 'mutation { revokeRole { id } }');
        const before = roleNamesOf(user);
        const after = roleNamesOf(updated);
        const verb = change === 'grant' ? 'Granted' : 'Revoked';
        const summary = before.join() === after.join() ? `${updated.email} ${change === 'grant' ? 'already had' : 'did not have'} role ${role}` : `${verb} ${role} ${change === 'grant' ? 'to' : 'from'} ${updated.email}`;
        return `${summary}; roles now: ${after.join(', ') || 'none'}`;
      });
    },
  };
}

export const grantRole = roleChangeCommand('grant');
export const revokeRole = roleChangeCommand('revoke');
