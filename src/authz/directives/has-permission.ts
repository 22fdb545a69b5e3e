/** `@hasPermission`: requires a signed-in viewer holding all (or, with mode ANY, one) of the permissions. */
import type { PermissionMode } from '../guards.js';
import { type AuthorizationDirective, unchanged } from './decision.js';

export function hasPermissionDirective(): AuthorizationDirective {
  return {
    name: 'hasPermission',
    typeDefs: /* GraphQL */ `
      enum PermissionMode {
        "Every listed permission is required."
        ALL
        "Any one of the listed permissions is enough."
        ANY
      }
      "Requires a signed-in viewer holding the permissions (all of them, or one with mode: ANY). On an argument or input field: using it requires them."
      directive @hasPermission(permissions: [String!]!, mode: PermissionMode = ALL) on OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
    `,
    guard: (args, coordinate) => ({
      coordinate,
      rule: 'hasPermission',
      permissions: args.permissions as string[],
      mode: (args.mode as PermissionMode | undefined) ?? 'ALL',
    }),
    transformer: unchanged,
  };
}
