import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layers of src/, in the order a request meets them from the bottom up. A file may import
 * from its own layer and the ones below it, never from a layer above: no import runs back up.
 * `npm run lint` enforces it; test/architecture.test.ts shows that a wrong import fails.
 */
export const LAYERS = [
  { name: 'kernel', files: ['src/kernel/**'], folders: ['kernel'] },
  {
    name: 'platform',
    files: ['src/config.ts', 'src/config/**', 'src/logger.ts', 'src/heap.ts', 'src/db/**', 'src/observability/**', 'src/pubsub/**'],
    folders: ['config.js', 'config', 'logger.js', 'heap.js', 'db', 'observability', 'pubsub', 'generated/prisma'],
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

// Static imports and re-exports with a relative specifier, type-only ones included: a cycle of
// types is still two files that cannot be read one without the other. `import()` is left out,
// since a lazy load is how a cycle is broken on purpose.
const RELATIVE_IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function resolveImport(fromFile, specifier) {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target, path.join(target, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
}

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

let graph;
/** Every file of src/ and the files it imports, read once per lint run. */
function importGraph(root) {
  if (graph) return graph;
  graph = new Map();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const imports = [...readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)].map((match) => resolveImport(file, match[1]));
    graph.set(file, imports.filter(Boolean));
  }
  return graph;
}

/** The shortest chain of imports from `start` back to `goal`, or undefined. */
function pathBack(edges, start, goal) {
  const cameFrom = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === goal) {
      const chain = [];
      for (let at = file; at !== undefined; at = cameFrom.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of edges.get(file) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** `layers/no-cycle`: an import of src/ that leads back, through any chain of imports, to the file that makes it. */
const noCycle = {
  meta: { type: 'problem', schema: [], messages: { cycle: 'Import cycle: {{chain}}. Move what both sides need into a module both can import.' } },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    if (!file.startsWith(path.join(root, 'src') + path.sep)) return {};
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolveImport(file, specifier);
      const chain = target && pathBack(importGraph(root), target, file);
      if (chain) context.report({ node, messageId: 'cycle', data: { chain: [file, ...chain].map((part) => path.relative(root, part)).join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

/** The rule that keeps each layer free of import cycles, for every file of src/. */
export const noCycleRule = {
  files: ['src/**/*.ts'],
  plugins: { layers: { rules: { 'no-cycle': noCycle } } },
  rules: { 'layers/no-cycle': 'error' },
};
