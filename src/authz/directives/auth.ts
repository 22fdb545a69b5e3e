/** `@auth`: the field, argument or input field (or every field of the type) requires a signed-in viewer. */
import { type AuthorizationDirective, unchanged } from './decision.js';

export function authDirective(): AuthorizationDirective {
  return {
    name: 'auth',
    typeDefs: /* GraphQL */ `
      "Requires a signed-in viewer. On an argument or input field: using it requires one."
      directive @auth on OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
    `,
    guard: (_args, coordinate) => ({ coordinate, rule: 'auth', permissions: [], mode: 'ALL' }),
    transformer: unchanged,
  };
}
