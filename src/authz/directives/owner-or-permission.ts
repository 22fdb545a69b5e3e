/**
 * `@ownerOrPermission`: the record's owner (the viewer whose id is in `ownerField` of the
 * parent object) may read the field; anyone else needs one of the permissions.
 */
import { requireSelfOrPermissions } from '../checks.js';
import { type AuthDirective, wrapFieldsDecidedBy } from './decision.js';

export function ownerOrPermissionDirective(): AuthDirective {
  return {
    typeDefs: /* GraphQL */ `
      "Readable by the record's owner, or by a viewer holding one of the permissions."
      directive @ownerOrPermission(permissions: [String!]!, ownerField: String = "id") on OBJECT | FIELD_DEFINITION
    `,
    transformer: wrapFieldsDecidedBy('ownerOrPermission', (viewer, source, args) => {
      const ownerId = (source as Record<string, unknown>)[args.ownerField as string];
      requireSelfOrPermissions(viewer, String(ownerId), args.permissions as string[]);
    }),
  };
}
