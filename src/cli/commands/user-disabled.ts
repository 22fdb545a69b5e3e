/** `disable-user` and `enable-user`: the same change the setUserDisabled mutation makes, by email. */
import { notFound } from '../../kernel/errors.js';
import { type Command, parseOptions, required } from '../command.js';
import { withServices } from '../database.js';

const OPTIONS = { email: { type: 'string' } } as const;

function userDisabledCommand(disable: boolean): Command {
  const name = disable ? 'disable-user' : 'enable-user';
  return {
    name,
    summary: disable ? 'Disable a user: no sign-in, every refresh token revoked' : 'Enable a disabled user again',
    help: `Usage: npm run cli -- ${name} --email <email>

${
  disable
    ? `Disables the user: signing in and refreshing are refused, every refresh token is revoked at once,
and their external identity's tokens are refused within OIDC_IDENTITY_CACHE_TTL (30 s by default).
Access tokens this server already issued keep working until they expire (ACCESS_TOKEN_TTL).`
    : `Enables the user again: they can sign in anew. Sessions revoked when they were disabled stay revoked.`
}

Options:
  --email <email>  the user's email
  -h, --help       show this help`,

    async run(argv) {
      const values = parseOptions(name, argv, OPTIONS);
      const email = required(name, 'email', values.email);
      return withServices(async ({ users, invalidateAs }) => {
        const user = await users.findByEmail(email);
        if (!user) throw notFound(`User with email ${email}`);
        const updated = await users.setUserDisabled({ userId: user.id, disabled: disable });
        await invalidateAs('mutation { setUserDisabled { id } }');
        if (disable) return `${user.disabledAt ? `${updated.email} was already disabled` : `Disabled ${updated.email}`}; every refresh token revoked`;
        return user.disabledAt ? `Enabled ${updated.email}` : `${updated.email} was not disabled`;
      });
    },
  };
}

export const disableUser = userDisabledCommand(true);
export const enableUser = userDisabledCommand(false);
