/**
 * Builds a syntactically valid operation for any root field straight from the schema, with
 * placeholder arguments, so authorization tests cover every field without being told of it.
 */
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';

/** `fillOptional`: also give the optional scalar input fields a value (ids excepted: they would point nowhere). */
export function placeholder(type: GraphQLInputType, fillOptional = false): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType, fillOptional);
  if (isListType(type)) return [placeholder(type.ofType, fillOptional)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) || (fillOptional && isScalarType(field.type) && field.type.name !== 'ID'))
        .map((field) => [field.name, placeholder(field.type, fillOptional)]),
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'DateTime':
        return new Date().toISOString();
      default:
        return 'placeholder-value';
    }
  }
  throw new Error(`No placeholder for ${String(type)}`);
}

export interface OperationOptions {
  /** The selection on an object result; `{ __typename }` by default. */
  selection?: string;
  fillOptional?: boolean;
}

export function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, { selection: chosen, fillOptional = false }: OperationOptions = {}) {
  const variables = Object.fromEntries(field.args.map((arg) => [arg.name, placeholder(arg.type, fillOptional)]));
  const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ` ${chosen ?? '{ __typename }'}` : '';
  const query = `${kind} Probe${declarations ? `(${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
  return { query, variables };
}
