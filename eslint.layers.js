/**
 * The layers of src/, in the order a request meets them from the bottom up. A file may import
 * from its own layer and the ones below it, never from a layer above: no import runs back up.
 * `npm run lint` enforces it; test/architecture.test.ts shows that a wrong import fails.
 */
export const LAYERS = [
  { name: 'kernel', files: ['src/kernel/**'], folders: ['kernel'] },
  {
    name: 'platform',
    files: ['src/config.ts', 'src/logger.ts', 'src/heap.ts', 'src/db/**', 'src/observability/**', 'src/pubsub/**'],
    folders: ['config.js', 'logger.js', 'heap.js', 'db', 'observability', 'pubsub', 'generated/prisma'],
  },
  { name: 'auth', files: ['src/auth/**'], folders: ['auth'] },
  { name: 'authz', files: ['src/authz/**'], folders: ['authz'] },
  { name: 'modules', files: ['src/modules/**'], folders: ['modules', 'generated/graphql.js'] },
  { name: 'assembly', files: ['src/server/**', 'src/setup/**', 'src/cli/**', 'src/main.ts'], folders: ['server', 'setup', 'cli', 'main.js'] },
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One ESLint block per layer: the layers above it are off limits. */
export function layerRules() {
  return LAYERS.slice(0, -1).map((layer, index) => {
    const above = LAYERS.slice(index + 1);
    return {
      files: layer.files,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: above.map((upper) => ({
              // Relative imports only: a package such as @apollo/server is no layer of ours.
              regex: `^\\.\\.?/(.*/)?(${upper.folders.map((folder) => (folder.endsWith('.js') ? `${escape(folder)}$` : `${escape(folder)}/`)).join('|')})`,
              message: `The ${layer.name} layer may not import from the ${upper.name} layer above it (see eslint.layers.js).`,
            })),
          },
        ],
      },
    };
  });
}
