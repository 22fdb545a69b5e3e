/** `create-user`: a new account with a password and, optionally, roles. */
import { assertAcceptablePassword } from '../../auth/passwords.js';
import { isRoleName, ROLE_NAMES } from '../../kernel/permissions.js';
import { badUserInput } from '../../kernel/errors.js';
import { roleNamesOf } from '../../modules/users/users.mappers.js';
import { type Command, parseOptions, PASSWORD_HELP, PASSWORD_OPTIONS, passwordFrom, required } from '../command.js';
import { withServices } from '../database.js';

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  ...PASSWORD_OPTIONS,
  role: { type: 'string', multiple: true },
} as const;

export const createUser: Command = {
  name: 'create-user',
  summary: 'Create a user with a password and, optionally, roles',
  help: `Usage: npm run cli -- create-user --email <email> --name <full name> (--password <password> | --password-stdin) [--role <role>]...

Creates a user who signs in with this email and password (hashed with Argon2id).

Options:
  --email <email>        the sign-in email, unique (stored lower-case)
  --name <full name>     the name shown to others, 1 to 100 characters
${PASSWORD_HELP}
  --role <role>          a role to grant, repeatable: ${ROLE_NAMES.join(', ')}
  -h, --help             show this help`,

  async run(argv) {
    const values = parseOptions(this.name, argv, OPTIONS);
    const email = required(this.name, 'email', values.email);
    const fullName = required(this.name, 'name', values.name);
    const roles = [...new Set(values.role ?? [])];
    // Checked before the database is opened, so a typo in a role does not leave a user without it.
    const unknown = roles.find((role) => !isRoleName(role));
    if (unknown !== undefined) throw badUserInput('role', `Unknown role "${unknown}"; expected one of: ${ROLE_NAMES.join(', ')}`);
    const password = await passwordFrom(this.name, values);
    assertAcceptablePassword(password);

    return withServices(async ({ users, passwords, invalidateAs }) => {
      let user = await users.register({ email, fullName, password }, (plain) => passwords.hash(plain));
      for (const role of roles) user = await users.assignRole({ userId: user.id, role });
      // As a signup does: a new user shows in every cached list of users.
      await invalidateAs('mutation { signup { user { id } } }');
      const granted = roleNamesOf(user);
      return `Created user ${user.email} (${user.id}) with ${granted.length ? `roles: ${granted.join(', ')}` : 'no roles'}`;
    });
  },
};
