/**
 * Federation's `Query._entities` reads any entity by its key, so it would skip the guard of the root
 * field that reads the same record (the classic hole). Here each representation is decided by the
 * guard of its type's lookup field, the `Query` field that takes exactly the key (`Query.task(id:)`
 * for `Task`): the same decision, and the same denial, as asking for that record at the root. An
 * entity without such a field is decided by its type's own directive; one with neither is an
 * audit problem. Bad representations (an unknown type, a key of the wrong shape, more of them than
 * a page of a list may hold) are refused whole, before anything is loaded.
 */
import { getNullableType, isListType, isNonNullType, isNamedType, isScalarType, type GraphQLObjectType } from 'graphql';
import type { Viewer } from '../kernel/viewer.js';
import { badUserInput, type ClientError } from '../kernel/errors.js';
import { decisionsOn } from './directives/decision.js';
import { decide, denialError, type Guard } from './guards.js';
import type { SchemaGuards } from './schema-guards.js';

/** The key of every entity here: `@key(fields: "id")`. */
export const ENTITY_KEY = 'id';
/** The root field whose decision covers every representation: the audit knows it is decided here. */
export const ENTITIES_COORDINATE = 'Query._entities';

export interface EntityDecision {
  /** Null: public. */
  guard: Guard | null;
  /** Where the guard comes from: the lookup field's coordinate (`Query.task`), or the type's name. */
  from: string;
}

export interface CheckedRepresentations {
  /** Index → the denial the representation gets instead of its entity. */
  denied: Map<number, ClientError>;
}

export class EntityGuards {
  private readonly decisions = new Map<string, EntityDecision>();
  private readonly missing: string[] = [];

  constructor(
    guards: SchemaGuards,
    readonly entityTypes: readonly string[],
    private readonly maxRepresentations: number,
  ) {
    for (const typeName of entityTypes) {
      const decision = this.findDecision(guards, typeName);
      if (decision) this.decisions.set(typeName, decision);
      else this.missing.push(typeName);
    }
  }

  /** For the deny-by-default audit: every entity has a decision. */
  problems(): string[] {
    return this.missing.map(
      (typeName) => `${typeName} is an entity (_entities reads it by ${ENTITY_KEY}) with no decision: add a Query field that reads one ${typeName} by ${ENTITY_KEY}, or a decision on the type`,
    );
  }

  decision(typeName: string): EntityDecision | undefined {
    return this.decisions.get(typeName);
  }

  /**
   * Validates every representation (throws one BAD_USER_INPUT for the first bad one, before anything
   * loads) and decides each against the viewer: once per type, as the planner decides a field once.
   */
  check(representations: readonly unknown[], viewer: Viewer | null): CheckedRepresentations {
    if (representations.length > this.maxRepresentations) {
      throw badUserInput('representations', `At most ${this.maxRepresentations} representations per request (GRAPHQL_MAX_PAGE_SIZE), got ${representations.length}`);
    }
    const verdicts = new Map<string, ClientError | null>();
    const denied = new Map<number, ClientError>();
    representations.forEach((representation, index) => {
      const typeName = this.validate(representation, index);
      if (!verdicts.has(typeName)) verdicts.set(typeName, this.verdict(typeName, viewer));
      const denial = verdicts.get(typeName);
      if (denial) denied.set(index, denial);
    });
    return { denied };
  }

  private validate(representation: unknown, index: number): string {
    const at = `representations[${index}]`;
    if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
      throw badUserInput(at, 'A representation is an object with __typename and the key fields');
    }
    const { __typename: typeName, [ENTITY_KEY]: key } = representation as Record<string, unknown>;
    if (typeof typeName !== 'string' || !this.decisions.has(typeName)) {
      throw badUserInput(`${at}.__typename`, `Unknown entity type ${JSON.stringify(typeName ?? null)}; expected one of: ${this.entityTypes.join(', ')}`);
    }
    if (typeof key !== 'string' || key.length === 0 || key.length > 100) {
      throw badUserInput(`${at}.${ENTITY_KEY}`, `${typeName}.${ENTITY_KEY} must be a non-empty ID string`);
    }
    return typeName;
  }

  private verdict(typeName: string, viewer: Viewer | null): ClientError | null {
    const { guard } = this.decisions.get(typeName)!;
    if (!guard) return null;
    const verdict = decide(guard, viewer);
    // `data`: only the record can tell (an owner rule on the type); its fields decide as they resolve.
    return verdict.outcome === 'denied' ? denialError(guard, viewer, verdict.missing) : null;
  }

  private findDecision(guards: SchemaGuards, typeName: string): EntityDecision | undefined {
    const { schema } = guards;
    const query = schema.getQueryType();
    const lookup = Object.values(query?.getFields() ?? {}).find((field) => {
      const returned = getNullableType(field.type);
      const [argument, ...others] = field.args;
      return (
        isNamedType(returned) &&
        returned.name === typeName &&
        others.length === 0 &&
        argument?.name === ENTITY_KEY &&
        isNonNullType(argument.type) &&
        !isListType(argument.type.ofType) &&
        isScalarType(argument.type.ofType) &&
        argument.type.ofType.name === 'ID'
      );
    });
    if (lookup && query) {
      const { guard, stated } = guards.field(query.name, lookup.name);
      if (stated) return { guard, from: `${query.name}.${lookup.name}` };
    }
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    const [stated] = type ? decisionsOn(schema, type, guards.directives) : [];
    if (stated) return { guard: stated.directive.guard(stated.args, typeName), from: typeName };
    return undefined;
  }
}
