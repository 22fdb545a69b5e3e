/** .env.example, rendered from the slices: a variable is documented exactly when it is parsed. */
import type { Variables } from './slice.js';

const HEADER = `# Every variable the server reads, with its default. Copy to .env only for your own shell tooling:
# the server reads the process environment (export these, or use \`node --env-file=.env\`).`;

const comment = (text: string) =>
  text
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');

export function renderEnvExample(slices: readonly { variables: Variables }[]): string {
  const groups = slices.map((slice) =>
    Object.entries(slice.variables)
      .map(([name, variable]) => [variable.doc && comment(variable.doc), `${name}=${variable.shown ?? ''}`].filter(Boolean).join('\n'))
      .join('\n'),
  );
  return `${[HEADER, ...groups].join('\n\n')}\n`;
}
