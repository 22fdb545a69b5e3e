/**
 * ⚠ Development defaults. They exist so that `npm start` works on a fresh clone (its npm script
 * sets NODE_ENV=development), and apply only when NODE_ENV is development or test: unset is production.
 */
export const DEVELOPMENT_DEFAULTS = {
  jwtSecret: 'dev-only-insecure-jwt-secret-change-me-0123456789',
  seedPasswords: {
    admin: 'admin-password-dev',
    menu: 'menu-password-dev',
    user: 'user-password-dev',
  },
} as const;
