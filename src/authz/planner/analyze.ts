/**
 * The viewer-independent half of planning: one walk over an operation (fragments expanded) that
 * lists every guard it touches — fields, the arguments it passes and the input fields inside
 * them — with the response path where a denial would show (`"@"` marks a list position).
 */
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLNamedType,
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

/** A guarded input field or argument whose value comes from a variable: whether it is used is known per request. */
export interface VariableProbe {
  variable: string;
  /** Steps from the variable's value to the guarded value; `@` walks every list item. */
  steps: readonly PathSegment[];
  /** The argument's default: giving it explicitly uses nothing more than leaving it out. */
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

  /** Guarded input fields inside a value of `type`: literals are decided now, variables per request. */
  function visitValue(value: ValueNode, type: GraphQLInputType, at: Omit<GuardedSelection, 'guard' | 'probe'>): void {
    if (value.kind === Kind.VARIABLE) {
      if (guards.inputTypeIsGuarded(getNamedType(type))) probeVariable(value.name.value, type, at, []);
      return;
    }
    const nullable = getNullableType(type);
    if (value.kind === Kind.LIST && isListType(nullable)) {
      for (const item of value.values) visitValue(item, nullable.ofType, at);
      return;
    }
    if (value.kind !== Kind.OBJECT || !isInputObjectType(nullable)) return;
    const fields = nullable.getFields();
    for (const field of value.fields) {
      const definition = fields[field.name.value];
      if (!definition) continue;
      const guard = guards.inputField(nullable.name, definition.name);
      if (guard && field.value.kind !== Kind.NULL) {
        if (field.value.kind === Kind.VARIABLE) guarded.push({ guard, ...at, probe: { variable: field.value.name.value, steps: [] } });
        else guarded.push({ guard, ...at });
      }
      visitValue(field.value, definition.type, at);
    }
  }

  /** A variable whose (input object) value may hold guarded input fields: one probe per guarded field reachable in its type. */
  function probeVariable(variable: string, type: GraphQLInputType, at: Omit<GuardedSelection, 'guard' | 'probe'>, steps: PathSegment[], seen = new Set<string>()): void {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      probeVariable(variable, nullable.ofType, at, [...steps, LIST_POSITION], seen);
      return;
    }
    if (!isInputObjectType(nullable) || seen.has(nullable.name)) return;
    const nested = new Set(seen).add(nullable.name);
    for (const field of Object.values(nullable.getFields())) {
      const guard = guards.inputField(nullable.name, field.name);
      if (guard) guarded.push({ guard, ...at, probe: { variable, steps: [...steps, field.name] } });
      if (guards.inputTypeIsGuarded(getNamedType(field.type))) probeVariable(variable, field.type, at, [...steps, field.name], nested);
    }
  }

  function visitSelections(selectionSet: SelectionSetNode, parentType: GraphQLNamedType, path: readonly PathSegment[], ancestors: readonly FieldNode[], spreads: readonly string[]): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (type) visitSelections(selection.selectionSet, type, path, ancestors, spreads);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        // Validation refuses fragment cycles; the check only keeps this walk finite if it ever runs unvalidated.
        if (type && !spreads.includes(name)) visitSelections(fragment.selectionSet, type, path, ancestors, [...spreads, name]);
        continue;
      }
      const fieldName = selection.name.value;
      if (fieldName.startsWith('__') || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
      const definition = parentType.getFields()[fieldName];
      if (!definition) continue;
      const fieldPath = [...path, selection.alias?.value ?? fieldName];
      const at = { node: selection, path: fieldPath, ancestors };
      const { guard } = guards.field(parentType.name, fieldName);
      if (guard) guarded.push({ guard, ...at });
      for (const argument of selection.arguments ?? []) {
        const argumentDefinition = definition.args.find((candidate) => candidate.name === argument.name.value);
        if (!argumentDefinition) continue;
        const argumentGuard = guards.argument(parentType.name, fieldName, argumentDefinition.name);
        const { defaultValue } = argumentDefinition;
        if (argumentGuard && argument.value.kind === Kind.VARIABLE) {
          guarded.push({ guard: argumentGuard, ...at, probe: { variable: argument.value.name.value, steps: [], defaultValue } });
        } else if (argumentGuard && argument.value.kind !== Kind.NULL && !isDefault(valueFromAST(argument.value, argumentDefinition.type), defaultValue)) {
          guarded.push({ guard: argumentGuard, ...at });
        }
        visitValue(argument.value, argumentDefinition.type, at);
      }
      if (selection.selectionSet) {
        visitSelections(selection.selectionSet, getNamedType(definition.type), childPath(fieldPath, definition.type), [...ancestors, selection], spreads);
      }
    }
  }

  const root = schema.getRootType(operation.operation);
  if (root) visitSelections(operation.selectionSet, root, [], [], []);
  return { operation, guarded, hasProbes: guarded.some((selection) => selection.probe !== undefined) };
}

/** Whether a probed variable holds a value (not null, not absent, not the default) where the guarded field is. */
export function probeIsUsed(probe: VariableProbe, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  const present = (value: unknown, steps: readonly PathSegment[]): boolean => {
    if (value === undefined || value === null) return false;
    if (steps.length === 0) return !isDefault(value, probe.defaultValue);
    const [step, ...rest] = steps as [PathSegment, ...PathSegment[]];
    if (step === LIST_POSITION) return Array.isArray(value) ? value.some((item) => present(item, rest)) : present(value, rest);
    return typeof value === 'object' && present((value as Record<string, unknown>)[step], rest);
  };
  return present(variables?.[probe.variable], probe.steps);
}
