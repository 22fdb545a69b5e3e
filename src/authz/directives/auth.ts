/** `@auth`: the field (or every field of the type) requires a signed-in viewer. */
import { requireAuth } from '../checks.js';
import { type AuthDirective, wrapFieldsDecidedBy } from './decision.js';

export function authDirective(): AuthDirective {
  return {
    typeDefs: /* GraphQL */ `
      "Requires a signed-in viewer."
      directive @auth on OBJECT | FIELD_DEFINITION
    `,
    transformer: wrapFieldsDecidedBy('auth', (viewer) => {
      requireAuth(viewer);
    }),
  };
}
