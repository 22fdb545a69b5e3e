/**
 * The schema's authorization, read once from its directives: the guard of every object field
 * (its own directive, else its type's), of every argument and of every input field. The planner,
 * the audit, the manifest and the README table all read the schema through this index.
 */
import {
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { type AuthorizationDirective, type Decision, decisionsOn, type DirectableNode, type GuardIndex } from './directives/decision.js';
import type { Guard } from './guards.js';

/** A field's decision: `guard` null means an explicit @public; `stated` undefined means no decision at all (it inherits its parent's). */
export interface FieldAuthorization {
  guard: Guard | null;
  stated: Decision | undefined;
  on: 'field' | 'type' | undefined;
}

const NO_DECISION: FieldAuthorization = { guard: null, stated: undefined, on: undefined };

export class SchemaGuards implements GuardIndex {
  /** How often a data-dependent rule was decided from a record, as fields resolved (the planner settles the rest once per operation). */
  readonly stats = { recordChecks: 0 };
  private readonly fields = new Map<string, FieldAuthorization>();
  private readonly arguments = new Map<string, Guard>();
  private readonly inputFields = new Map<string, Guard>();
  /** Input types that hold a guarded input field, at any depth. */
  private readonly guardedInputTypes = new Set<string>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly directives: readonly AuthorizationDirective[],
  ) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type)) this.indexFields(type);
      if (isInputObjectType(type)) this.indexInputFields(type);
    }
    this.findGuardedInputTypes();
  }

  /** The decision in force for `Type.field`. */
  field(typeName: string, fieldName: string): FieldAuthorization {
    return this.fields.get(`${typeName}.${fieldName}`) ?? NO_DECISION;
  }

  argument(typeName: string, fieldName: string, argumentName: string): Guard | undefined {
    return this.arguments.get(`${typeName}.${fieldName}(${argumentName}:)`);
  }

  inputField(typeName: string, fieldName: string): Guard | undefined {
    return this.inputFields.get(`${typeName}.${fieldName}`);
  }

  /** True when a value of this input type may carry a guarded input field. */
  inputTypeIsGuarded(type: GraphQLNamedType): boolean {
    return this.guardedInputTypes.has(type.name);
  }

  /** Every guard of the schema, for tables and manifests: fields first, then arguments, then input fields. */
  allGuards(): { coordinate: string; guard: Guard; stated: Decision }[] {
    const fields = [...this.fields].flatMap(([coordinate, { guard, stated }]) => (guard && stated ? [{ coordinate, guard, stated }] : []));
    return [...fields, ...this.guardsWithDecisions(this.arguments), ...this.guardsWithDecisions(this.inputFields)];
  }

  private readonly argumentDecisions = new Map<string, Decision>();

  private guardsWithDecisions(guards: Map<string, Guard>) {
    return [...guards].map(([coordinate, guard]) => ({ coordinate, guard, stated: this.argumentDecisions.get(coordinate)! }));
  }

  private single(node: DirectableNode): Decision | undefined {
    return decisionsOn(this.schema, node, this.directives)[0];
  }

  private indexFields(type: GraphQLObjectType | GraphQLInterfaceType): void {
    const typeDecision = this.single(type);
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      const coordinate = `${type.name}.${fieldName}`;
      const own = this.single(field);
      const stated = own ?? typeDecision;
      this.fields.set(coordinate, {
        guard: stated ? stated.directive.guard(stated.args, coordinate) : null,
        stated,
        on: own ? 'field' : typeDecision ? 'type' : undefined,
      });
      for (const argument of field.args) this.indexArgumentLike(`${coordinate}(${argument.name}:)`, argument, this.arguments);
    }
  }

  private indexInputFields(type: GraphQLInputObjectType): void {
    for (const field of Object.values(type.getFields())) this.indexArgumentLike(`${type.name}.${field.name}`, field, this.inputFields);
  }

  private indexArgumentLike(coordinate: string, node: GraphQLArgument | GraphQLInputField, into: Map<string, Guard>): void {
    const stated = this.single(node);
    const guard = stated?.directive.guard(stated.args, coordinate);
    if (!stated || !guard) return;
    into.set(coordinate, guard);
    this.argumentDecisions.set(coordinate, stated);
  }

  private findGuardedInputTypes(): void {
    const inputTypes = Object.values(this.schema.getTypeMap()).filter(isInputObjectType);
    for (const type of inputTypes) {
      if (Object.values(type.getFields()).some((field) => this.inputFields.has(`${type.name}.${field.name}`))) this.guardedInputTypes.add(type.name);
    }
    // Propagate to the input types that contain a guarded one, until nothing changes.
    for (let changed = true; changed; ) {
      changed = false;
      for (const type of inputTypes) {
        if (this.guardedInputTypes.has(type.name)) continue;
        if (Object.values(type.getFields()).some((field) => this.guardedInputTypes.has(getNamedType(field.type).name))) {
          this.guardedInputTypes.add(type.name);
          changed = true;
        }
      }
    }
  }
}
