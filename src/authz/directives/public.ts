/** `@public`: an explicit decision that a field is open to everyone. It wraps nothing. */
import type { AuthDirective } from './decision.js';

export function publicDirective(): AuthDirective {
  return {
    typeDefs: /* GraphQL */ `
      "An explicit decision that the field is open to everyone, signed in or not."
      directive @public on OBJECT | FIELD_DEFINITION
    `,
    transformer: (schema) => schema,
  };
}
