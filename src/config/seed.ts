/** Demo data seeded into an empty database, and the demo users' passwords. */
import { z } from 'zod';
import { DEVELOPMENT_DEFAULTS } from './development-defaults.js';
import { defineSlice } from './slice.js';
import { booleanFlag } from './values.js';

const password = z.string().min(8).optional();

export const seedConfig = defineSlice({
  variables: {
    SEED_DEMO_DATA: {
      schema: booleanFlag.optional(),
      doc: `Demo data (users, menu, books, tasks) is seeded into an empty database: on by default outside
production. Passwords of admin@example.com, menu@example.com, user@example.com; development
defaults are documented in the README and refused in production.`,
    },
    SEED_ADMIN_PASSWORD: { schema: password },
    SEED_MENU_PASSWORD: { schema: password },
    SEED_USER_PASSWORD: { schema: password },
  },
  build: (env, { production, fail }) => {
    const demoData = env.SEED_DEMO_DATA ?? !production;
    const seedPassword = (value: string | undefined, fallback: string, variable: string) => {
      if (value) return value;
      if (demoData && production) fail(`${variable} is required to seed demo users in production`);
      return fallback;
    };
    return {
      seed: {
        demoData,
        passwords: {
          admin: seedPassword(env.SEED_ADMIN_PASSWORD, DEVELOPMENT_DEFAULTS.seedPasswords.admin, 'SEED_ADMIN_PASSWORD'),
          menu: seedPassword(env.SEED_MENU_PASSWORD, DEVELOPMENT_DEFAULTS.seedPasswords.menu, 'SEED_MENU_PASSWORD'),
          user: seedPassword(env.SEED_USER_PASSWORD, DEVELOPMENT_DEFAULTS.seedPasswords.user, 'SEED_USER_PASSWORD'),
        },
      },
    };
  },
});
