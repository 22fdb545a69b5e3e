/**
 * The viewer-independent half of planning: one walk over an operation (fragments expanded) that
 * lists every guard it touches — fields, the arguments it passes and the input fields inside
 * them — with the response path where a denial would show (`"@"` marks a list position).
 * A guarded value reached through a variable becomes a probe, decided per request on the
 * variables as the executor coerces them (defaults filled in, lists and nested inputs included).
 * A field selected on an interface is decided on each possible concrete type.
 */
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromAST,
} from 'graphql';
import type { Guard } from '../guards.js';
import type { SchemaGuards } from '../schema-guards.js';

export type PathSegment = string;
/** Marks a list position in a path, as Apollo Router does. */
export const LIST_POSITION = '@';

/**
 * A guarded argument or input field whose value comes from a variable: whether it is used is known
 * per request, from the variable's coerced value (its definition's default included).
 */
export interface VariableProbe {
  variable: string;
  /** The guard's coordinate (`Query.users(includeDisabled:)`, `CreateTaskInput.ownerId`). */
  coordinate: string;
  /**
   * Absent: the variable is the guarded value itself. Set: the type of the position the variable
   * fills, whose value is searched for the guarded input field (at any depth, through lists).
   */
  within?: GraphQLInputType;
  /** The guarded value's default: giving it explicitly uses nothing more than leaving it out. */
  defaultValue?: unknown;
}

/** An argument or input field is used when given a value other than null and other than its default. */
function isDefault(value: unknown, defaultValue: unknown): boolean {
  return defaultValue !== undefined && JSON.stringify(value) === JSON.stringify(defaultValue);
}

export interface GuardedSelection {
  guard: Guard;
  /** The field that is denied when the guard fails (for an argument or input field: the field that carries it). */
  node: FieldNode;
  path: readonly PathSegment[];
  /** The fields above `node`, from the root down: a guard under a denied field says nothing more. */
  ancestors: readonly FieldNode[];
  /** Set when the guarded value is given by a variable: the guard applies only when the value is present. */
  probe?: VariableProbe;
  /**
   * Set when `node` is selected on an interface: the guard is that of `onType`'s field, and a
   * denial removes the field from records of that type only (the others keep it).
   */
  onType?: string;
  /** With `onType`: every possible type of that interface. */
  possibleTypes?: readonly string[];
  /** The records at `path` may be of several types (the field above returns an interface or union). */
  inAbstract?: boolean;
}

export interface OperationAnalysis {
  operation: OperationDefinitionNode;
  guarded: readonly GuardedSelection[];
  /** True when a decision depends on variable values. */
  hasProbes: boolean;
}

export class UnknownOperationError extends Error {}

export function findOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) throw new UnknownOperationError(operationName ? `Unknown operation named "${operationName}"` : 'Must provide an operation name');
  return operation;
}

/** Appends one `@` per list wrapper of a field's type (lists of lists get two). */
function childPath(path: readonly PathSegment[], type: GraphQLOutputType): PathSegment[] {
  const child = [...path];
  for (let current = getNullableType(type); isListType(current); current = getNullableType(current.ofType)) child.push(LIST_POSITION);
  return child;
}

export function analyzeOperation(guards: SchemaGuards, document: DocumentNode, operationName: string | null | undefined): OperationAnalysis {
  const operation = findOperation(document, operationName);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const guarded: GuardedSelection[] = [];
  const schema = guards.schema;
  type At = Omit<GuardedSelection, 'guard' | 'probe'>;

  /** Guarded input fields inside a value of `type`: literals are decided now, variables per request. */
  function visitValue(value: ValueNode, type: GraphQLInputType, at: At): void {
    if (value.kind === Kind.VARIABLE) {
      if (guards.inputTypeIsGuarded(getNamedType(type))) probeVariable(value.name.value, type, at);
      return;
    }
    const nullable = getNullableType(type);
    if (value.kind === Kind.LIST && isListType(nullable)) {
      for (const item of value.values) visitValue(item, nullable.ofType, at);
      return;
    }
    // A single value where a list is expected is coerced into a list of one.
    if (isListType(nullable)) {
      visitValue(value, nullable.ofType, at);
      return;
    }
    if (value.kind !== Kind.OBJECT || !isInputObjectType(nullable)) return;
    const fields = nullable.getFields();
    for (const field of value.fields) {
      const definition = fields[field.name.value];
      if (!definition) continue;
      const guard = guards.inputField(nullable.name, definition.name);
      if (guard && field.value.kind === Kind.VARIABLE) {
        guarded.push({ guard, ...at, probe: { variable: field.value.name.value, coordinate: guard.coordinate, defaultValue: definition.defaultValue } });
      } else if (guard && field.value.kind !== Kind.NULL && !isDefault(valueFromAST(field.value, definition.type), definition.defaultValue)) {
        guarded.push({ guard, ...at });
      }
      visitValue(field.value, definition.type, at);
    }
  }

  /**
   * A variable whose (input object) value may hold guarded input fields: one probe per guarded
   * input field reachable from its type. Coordinates, not paths, so recursive input types end.
   */
  function probeVariable(variable: string, within: GraphQLInputType, at: At): void {
    for (const guard of reachableInputGuards(guards, within)) guarded.push({ guard, ...at, probe: { variable, coordinate: guard.coordinate, within } });
  }

  /** The guard of `fieldName` on an object type: its own decision, else the decision of an interface it implements. */
  function objectFieldGuard(type: GraphQLObjectType | GraphQLInterfaceType, fieldName: string): Guard | null {
    const own = guards.field(type.name, fieldName);
    if (own.stated || !isObjectType(type)) return own.guard;
    for (const implemented of type.getInterfaces()) {
      const inherited = guards.field(implemented.name, fieldName);
      if (inherited.stated) return inherited.guard;
    }
    return null;
  }

  function visitSelections(selectionSet: SelectionSetNode, parentType: GraphQLNamedType, path: readonly PathSegment[], ancestors: readonly FieldNode[], spreads: readonly string[], inAbstract = false): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (type) visitSelections(selection.selectionSet, type, path, ancestors, spreads, inAbstract);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        // Validation refuses fragment cycles; the check only keeps this walk finite if it ever runs unvalidated.
        if (type && !spreads.includes(name)) visitSelections(fragment.selectionSet, type, path, ancestors, [...spreads, name], inAbstract);
        continue;
      }
      const fieldName = selection.name.value;
      if (fieldName.startsWith('__') || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
      const definition = parentType.getFields()[fieldName];
      if (!definition) continue;
      const fieldPath = [...path, selection.alias?.value ?? fieldName];
      const at = { node: selection, path: fieldPath, ancestors, ...(inAbstract && { inAbstract }) };
      // On an interface, each possible type's own field resolves: its guard decides, per type.
      const concreteTypes = isInterfaceType(parentType) ? schema.getPossibleTypes(parentType) : [parentType];
      const possibleTypes = concreteTypes.map((type) => type.name);
      for (const concrete of concreteTypes) {
        const guard = objectFieldGuard(concrete, fieldName);
        if (guard) guarded.push({ guard, ...at, ...(concrete !== parentType && { onType: concrete.name, possibleTypes }) });
      }
      // Arguments: the interface's field and every implementation's may state guards; all apply.
      const argumentOwners = new Set([parentType, ...concreteTypes]);
      for (const argument of selection.arguments ?? []) {
        const argumentDefinition = definition.args.find((candidate) => candidate.name === argument.name.value);
        if (!argumentDefinition) continue;
        const { defaultValue } = argumentDefinition;
        for (const owner of argumentOwners) {
          const argumentGuard = guards.argument(owner.name, fieldName, argumentDefinition.name);
          if (argumentGuard && argument.value.kind === Kind.VARIABLE) {
            guarded.push({ guard: argumentGuard, ...at, probe: { variable: argument.value.name.value, coordinate: argumentGuard.coordinate, defaultValue } });
          } else if (argumentGuard && argument.value.kind !== Kind.NULL && !isDefault(valueFromAST(argument.value, argumentDefinition.type), defaultValue)) {
            guarded.push({ guard: argumentGuard, ...at });
          }
        }
        visitValue(argument.value, argumentDefinition.type, at);
      }
      if (selection.selectionSet) {
        const childType = getNamedType(definition.type);
        visitSelections(selection.selectionSet, childType, childPath(fieldPath, definition.type), [...ancestors, selection], spreads, isAbstractType(childType));
      }
    }
  }

  const root = schema.getRootType(operation.operation);
  if (root) visitSelections(operation.selectionSet, root, [], [], []);
  return { operation, guarded, hasProbes: guarded.some((selection) => selection.probe !== undefined) };
}

/** Every guarded input field a value of `type` can hold, at any depth. */
function reachableInputGuards(guards: SchemaGuards, type: GraphQLInputType): Guard[] {
  const found: Guard[] = [];
  const seen = new Set<string>();
  const walk = (current: GraphQLInputType) => {
    const named = getNamedType(current);
    if (!isInputObjectType(named) || seen.has(named.name) || !guards.inputTypeIsGuarded(named)) return;
    seen.add(named.name);
    for (const field of Object.values(named.getFields())) {
      const guard = guards.inputField(named.name, field.name);
      if (guard) found.push(guard);
      walk(field.type);
    }
  };
  walk(type);
  return found;
}

/** The coordinates of the guarded input fields that `value` (a coerced value of `type`) uses. */
function inputGuardsUsed(guards: SchemaGuards, value: unknown, type: GraphQLInputType, into: Set<string>): Set<string> {
  if (value === undefined || value === null) return into;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    for (const item of Array.isArray(value) ? value : [value]) inputGuardsUsed(guards, item, nullable.ofType, into);
    return into;
  }
  if (!isInputObjectType(nullable) || typeof value !== 'object' || !guards.inputTypeIsGuarded(nullable)) return into;
  for (const field of Object.values(nullable.getFields())) {
    const fieldValue = (value as Record<string, unknown>)[field.name];
    if (fieldValue === undefined || fieldValue === null || isDefault(fieldValue, field.defaultValue)) continue;
    if (guards.inputField(nullable.name, field.name)) into.add(`${nullable.name}.${field.name}`);
    inputGuardsUsed(guards, fieldValue, field.type, into);
  }
  return into;
}

/**
 * Whether a probed variable uses the guarded value: present, not null and not its default, in
 * `variables` as the executor coerces them (`getVariableValues`: definitions' defaults filled in,
 * input objects' defaults too). Raw request variables are not enough: a left-out variable with a
 * default is used all the same.
 */
export function probeIsUsed(probe: VariableProbe, variables: Readonly<Record<string, unknown>> | undefined, guards: SchemaGuards): boolean {
  const value = variables?.[probe.variable];
  if (value === undefined || value === null) return false;
  if (!probe.within) return !isDefault(value, probe.defaultValue);
  return inputGuardsUsed(guards, value, probe.within, new Set()).has(probe.coordinate);
}
