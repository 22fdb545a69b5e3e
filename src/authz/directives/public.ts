/** `@public`: an explicit decision that a field (or every field of a type) is open to everyone. */
import { type AuthorizationDirective, unchanged } from './decision.js';

export function publicDirective(): AuthorizationDirective {
  return {
    name: 'public',
    typeDefs: /* GraphQL */ `
      "An explicit decision that the field is open to everyone, signed in or not."
      directive @public on OBJECT | FIELD_DEFINITION
    `,
    guard: () => null,
    transformer: unchanged,
  };
}
