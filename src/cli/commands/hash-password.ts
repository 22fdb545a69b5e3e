/** `hash-password`: an Argon2id hash for a password, as the server stores it (the books tutorial's generator). No database needed. */
import { assertAcceptablePassword, PasswordHasher } from '../../auth/passwords.js';
import { type Command, parseOptions, PASSWORD_HELP, PASSWORD_OPTIONS, passwordFrom } from '../command.js';

export const hashPassword: Command = {
  name: 'hash-password',
  summary: 'Print the Argon2id hash of a password (needs no database)',
  help: `Usage: npm run cli -- hash-password (--password <password> | --password-stdin)

Prints the Argon2id hash the server would store for this password (the same parameters and
the same password rules as signup), e.g. to put into a users table by hand.

Options:
${PASSWORD_HELP}
  -h, --help             show this help`,

  async run(argv) {
    const password = await passwordFrom(this.name, parseOptions(this.name, argv, PASSWORD_OPTIONS));
    assertAcceptablePassword(password);
    const hasher = new PasswordHasher();
    try {
      return await hasher.hash(password);
    } finally {
      await hasher.close();
    }
  },
};
