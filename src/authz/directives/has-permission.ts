/** `@hasPermission`: requires a signed-in viewer holding all (or, with mode ANY, one) of the permissions. */
import { type PermissionMode, requirePermissions } from '../checks.js';
import { type AuthDirective, wrapFieldsDecidedBy } from './decision.js';

export function hasPermissionDirective(): AuthDirective {
  return {
    typeDefs: /* GraphQL */ `
      enum PermissionMode {
        "Every listed permission is required."
        ALL
        "Any one of the listed permissions is enough."
        ANY
      }
      "Requires a signed-in viewer holding the permissions (all of them, or one with mode: ANY)."
      directive @hasPermission(permissions: [String!]!, mode: PermissionMode = ALL) on OBJECT | FIELD_DEFINITION
    `,
    transformer: wrapFieldsDecidedBy('hasPermission', (viewer, _source, args) => {
      requirePermissions(viewer, args.permissions as string[], args.mode as PermissionMode);
    }),
  };
}
