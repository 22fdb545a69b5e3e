/**
 * Generated from a schema: every guarded argument and input field reachable from a root field's
 * arguments, and each way an operation can give it a value — literal, variable, defaulted
 * variable, whole input as a variable (given or defaulted), and inside a list where the type has
 * one. A new guarded position in the schema is covered without a new test.
 */
import {
  astFromValue,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Guard } from '../../src/authz/guards.js';
import type { SchemaGuards } from '../../src/authz/schema-guards.js';

/** Where a guarded value sits: a root field's argument, then input field names and `@` for a list item. */
export interface GuardedPosition {
  guard: Guard;
  operationType: 'query' | 'mutation';
  rootField: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  steps: readonly string[];
  /** The type of the guarded value itself, and its default. */
  leafType: GraphQLInputType;
  leafDefault: unknown;
}

export interface Spelling {
  name: 'literal' | 'variable' | 'defaulted variable' | 'whole input as a variable' | 'defaulted whole input' | 'nested in a list';
  query: string;
  variables?: Record<string, unknown>;
  /** The same document with the guarded value left out or null: it must not be denied on this guard. */
  without?: Record<string, unknown>;
}

export const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** A value of `type` that is valid, other than null and other than `defaultValue`. */
function sampleLeaf(type: GraphQLInputType, defaultValue: unknown): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues().find((value) => value.value !== defaultValue)?.value ?? named.getValues()[0]!.value;
  if (!isScalarType(named)) return sampleInput(type, [], undefined);
  switch (named.name) {
    case 'Boolean':
      return defaultValue === true ? false : true;
    case 'Int':
      return defaultValue === 1 ? 2 : 1;
    case 'Float':
      return defaultValue === 1.5 ? 2.5 : 1.5;
    case 'ID':
      return SAMPLE_ID;
    case 'DateTime':
      return '2026-01-01T00:00:00.000Z';
    default:
      return defaultValue === 'sample' ? 'other sample' : 'sample';
  }
}

/** A valid value of `type` with its required parts filled in, and `leaf` at `steps` (absent: nothing optional). */
function sampleInput(type: GraphQLInputType, steps: readonly string[], leaf: { value: unknown } | undefined): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    if (steps[0] === '@') return [sampleInput(nullable.ofType, steps.slice(1), leaf)];
    return isNonNullType(type) ? [sampleInput(nullable.ofType, [], undefined)] : undefined;
  }
  if (steps.length === 0 && leaf) return leaf.value;
  if (!isInputObjectType(nullable)) return sampleLeaf(type, undefined);
  const value: Record<string, unknown> = {};
  for (const field of Object.values(nullable.getFields())) {
    if (field.name === steps[0]) value[field.name] = sampleInput(field.type, steps.slice(1), leaf);
    else if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sampleInput(field.type, [], undefined);
  }
  return value;
}

function rootFields(schema: GraphQLSchema): { operationType: 'query' | 'mutation'; root: GraphQLObjectType }[] {
  const roots: { operationType: 'query' | 'mutation'; root: GraphQLObjectType }[] = [];
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) roots.push({ operationType: 'query', root: query });
  if (mutation) roots.push({ operationType: 'mutation', root: mutation });
  return roots;
}

/** Every guarded argument and input field under a root field's arguments (each input type once per path). */
export function guardedPositions(guards: SchemaGuards): GuardedPosition[] {
  const positions: GuardedPosition[] = [];
  for (const { operationType, root } of rootFields(guards.schema)) {
    for (const rootField of Object.values(root.getFields())) {
      for (const argument of rootField.args) {
        const at = { operationType, rootField, argument };
        const argumentGuard = guards.argument(root.name, rootField.name, argument.name);
        if (argumentGuard) positions.push({ ...at, guard: argumentGuard, steps: [], leafType: argument.type, leafDefault: argument.defaultValue });
        const walk = (type: GraphQLInputType, steps: readonly string[], seen: ReadonlySet<string>) => {
          const nullable = getNullableType(type) as GraphQLInputType;
          if (isListType(nullable)) return walk(nullable.ofType, [...steps, '@'], seen);
          if (!isInputObjectType(nullable) || seen.has(nullable.name)) return;
          for (const field of Object.values(nullable.getFields())) {
            const guard = guards.inputField(nullable.name, field.name);
            if (guard) positions.push({ ...at, guard, steps: [...steps, field.name], leafType: field.type, leafDefault: field.defaultValue });
            walk(field.type, [...steps, field.name], new Set(seen).add(nullable.name));
          }
        };
        walk(argument.type, [], new Set());
      }
    }
  }
  return positions;
}

/** The coordinates of every guarded argument and input field of the schema (what the positions must cover). */
export function guardedValueCoordinates(guards: SchemaGuards): string[] {
  return guards
    .allGuards()
    .map(({ coordinate }) => coordinate)
    .filter((coordinate) => coordinate.includes('(') || !isOutputCoordinate(guards.schema, coordinate));
}

function isOutputCoordinate(schema: GraphQLSchema, coordinate: string): boolean {
  const type = schema.getType(coordinate.split('.')[0]!);
  return !isInputObjectType(type);
}

const literal = (value: unknown, type: GraphQLInputType) => print(astFromValue(value, type)!);

/** Each spelling of one position, as a whole operation; the guarded value is the same sample every time. */
export function spellingsOf(position: GuardedPosition): Spelling[] {
  const { operationType, rootField, argument, steps, leafType, leafDefault } = position;
  const leaf = sampleLeaf(leafType, leafDefault);
  const whole = sampleInput(argument.type, steps, { value: leaf });
  const nullOrAbsent = isNonNullType(argument.type) ? undefined : null;
  const wholeWithout = steps.length === 0 ? nullOrAbsent : (sampleInput(argument.type, [], undefined) ?? nullOrAbsent);
  const selection = isCompositeType(getNamedType(rootField.type)) ? ' { __typename }' : '';
  const otherArguments = rootField.args
    .filter((other) => other !== argument && isNonNullType(other.type) && other.defaultValue === undefined)
    .map((other) => `${other.name}: ${literal(sampleInput(other.type, [], undefined), other.type)}`);
  const call = (value: string, definitions = '') => `${operationType}${definitions ? `(${definitions})` : ''} { ${rootField.name}(${[...otherArguments, `${argument.name}: ${value}`].join(', ')})${selection} }`;

  // The argument's value written out, with `$v` in place of the guarded value.
  const withVariable = (type: GraphQLInputType, path: readonly string[]): string => {
    if (path.length === 0) return '$v';
    const nullable = getNullableType(type) as GraphQLInputType;
    if (isListType(nullable)) return `[${withVariable(nullable.ofType, path[0] === '@' ? path.slice(1) : path)}]`;
    if (!isInputObjectType(nullable)) throw new Error(`no input field ${path.join('.')} in ${String(type)}`);
    const parts = Object.values(nullable.getFields()).flatMap((field) => {
      if (field.name === path[0]) return [`${field.name}: ${withVariable(field.type, path.slice(1))}`];
      if (isNonNullType(field.type) && field.defaultValue === undefined) return [`${field.name}: ${literal(sampleInput(field.type, [], undefined), field.type)}`];
      return [];
    });
    return `{ ${parts.join(', ')} }`;
  };

  const leafTypeName = String(leafType);
  const argumentTypeName = String(argument.type);
  const leafWithout = isNonNullType(leafType) ? undefined : { v: null };
  const wholeControl = wholeWithout === undefined ? undefined : { in: wholeWithout };
  const spellings: Spelling[] = [
    { name: 'literal', query: call(literal(whole, argument.type)) },
    { name: 'variable', query: call(withVariable(argument.type, steps), `$v: ${leafTypeName}`), variables: { v: leaf }, ...(leafWithout && { without: leafWithout }) },
    { name: 'defaulted variable', query: call(withVariable(argument.type, steps), `$v: ${leafTypeName} = ${literal(leaf, leafType)}`), ...(leafWithout && { without: leafWithout }) },
    { name: 'whole input as a variable', query: call('$in', `$in: ${argumentTypeName}`), variables: { in: whole }, ...(wholeControl && { without: wholeControl }) },
    { name: 'defaulted whole input', query: call('$in', `$in: ${argumentTypeName} = ${literal(whole, argument.type)}`), ...(wholeControl && { without: wholeControl }) },
  ];
  const firstList = steps.indexOf('@');
  if (firstList >= 0) {
    // Two items where the first list is: only the second holds the guarded value.
    const cleanItem = sampleInput(typeAt(argument.type, steps.slice(0, firstList + 1)), [], undefined);
    const listed = twoItems(whole, cleanItem, steps.slice(0, firstList));
    spellings.push({ name: 'nested in a list', query: call('$in', `$in: ${argumentTypeName}`), variables: { in: listed }, ...(wholeControl && { without: wholeControl }) });
  }
  return spellings;
}

/** `whole` with the list at `path` holding `cleanItem` first, then the item that has the guarded value. */
function twoItems(whole: unknown, cleanItem: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return [cleanItem, ...(whole as unknown[])];
  const [step, ...rest] = path as [string, ...string[]];
  return { ...(whole as Record<string, unknown>), [step]: twoItems((whole as Record<string, unknown>)[step], cleanItem, rest) };
}

/** The type found by following `steps` (input field names, `@` for a list item) from `type`. */
function typeAt(type: GraphQLInputType, steps: readonly string[]): GraphQLInputType {
  let current = type;
  for (const step of steps) {
    const nullable = getNullableType(current) as GraphQLInputType;
    if (step === '@' && isListType(nullable)) current = nullable.ofType;
    else if (isInputObjectType(nullable)) current = nullable.getFields()[step]!.type;
    else throw new Error(`no step ${step} in ${String(current)}`);
  }
  return current;
}
