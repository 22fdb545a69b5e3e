/**
 * `@ownerOrPermission`: the record's owner (the viewer whose id is in `ownerField` of the parent
 * object) may read the field; anyone else needs one of the permissions. The planner settles it
 * for a viewer holding a permission; otherwise the record decides, as the field resolves.
 * On a root field (a write such as `updateRecipe(id:)`) there is no parent record: a signed-in
 * viewer's resolver gets the owner to restrict the record to (`ownerScope`), undefined for a
 * holder of a permission; an anonymous viewer is refused.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver } from 'graphql';
import type { Viewer } from '../../kernel/viewer.js';
import { OWNER_SCOPE } from '../checks.js';
import { decideForRecord, denialError } from '../guards.js';
import type { AuthorizationDirective, GuardIndex } from './decision.js';

/** What a resolver needs from the context: the viewer, and the coordinates the planner left to the data (all of them when absent). */
interface GuardedContext {
  viewer: Viewer | null;
  dataChecks?: ReadonlySet<string>;
}

export function ownerOrPermissionDirective(): AuthorizationDirective {
  return {
    name: 'ownerOrPermission',
    typeDefs: /* GraphQL */ `
      "Readable by the record's owner, or by a viewer holding one of the permissions."
      directive @ownerOrPermission(permissions: [String!]!, ownerField: String = "id") on OBJECT | FIELD_DEFINITION
    `,
    guard: (args, coordinate) => ({ coordinate, rule: 'ownerOrPermission', permissions: args.permissions as string[], mode: 'ANY' }),
    transformer: (schema, guards: GuardIndex) =>
      mapSchema(schema, {
        [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
          const { guard, stated } = guards.field(typeName, fieldName);
          if (guard?.rule !== 'ownerOrPermission') return field;
          const ownerField = (stated!.args.ownerField as string | undefined) ?? 'id';
          const resolve = field.resolve ?? defaultFieldResolver;
          const rootTypes = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
          if (rootTypes.some((root) => root?.name === typeName)) {
            return {
              ...field,
              resolve(source: unknown, args, context: GuardedContext, info) {
                const restricted = !context.dataChecks || context.dataChecks.has(guard.coordinate);
                if (restricted && !context.viewer) throw denialError(guard, null);
                // A shallow copy per call: each root field gets its own scope.
                return resolve(source, args, { ...context, [OWNER_SCOPE]: { owner: restricted ? context.viewer!.userId : undefined } }, info);
              },
            };
          }
          return {
            ...field,
            resolve(source: Record<string, unknown>, args, context: GuardedContext, info) {
              if (!context.dataChecks || context.dataChecks.has(guard.coordinate)) {
                guards.stats.recordChecks += 1;
                const verdict = decideForRecord(guard, context.viewer, source, source[ownerField]);
                if (verdict.outcome === 'denied') throw denialError(guard, context.viewer, verdict.missing);
              }
              return resolve(source, args, context, info);
            },
          };
        },
      }),
  };
}
