/**
 * The input boundary: before anything executes, every string an operation passes as an
 * argument (written in the query or sent as a variable, through fragments, input objects and
 * lists) is checked for what PostgreSQL cannot store. A NUL character (U+0000) is refused with
 * HTTP 400 and BAD_USER_INPUT naming the argument path (`input.title`), so no service has to.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { ClientError, ErrorCode } from '../kernel/errors.js';
import type { Context } from '../kernel/context.js';

class Refusal {
  constructor(readonly field: string) {}
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function checkJson(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new Refusal(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkJson(item, join(path, index)));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkJson(item, join(path, key));
  }
}

function checkValue(node: ValueNode, path: string, variables: Record<string, unknown>): void {
  switch (node.kind) {
    case Kind.STRING:
      if (node.value.includes('\u0000')) throw new Refusal(path);
      return;
    case Kind.VARIABLE:
      checkJson(variables[node.name.value], path);
      return;
    case Kind.LIST:
      node.values.forEach((item, index) => checkValue(item, join(path, index), variables));
      return;
    case Kind.OBJECT:
      for (const field of node.fields) checkValue(field.value, join(path, field.name.value), variables);
      return;
    default:
      return;
  }
}

function checkOperation(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) {
        for (const argument of directive.arguments ?? []) checkValue(argument.value, argument.name.value, variables);
      }
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) checkValue(argument.value, argument.name.value, variables);
        if (selection.selectionSet) walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  // Defaults written in the query, and variables no argument names (a directive's), are input too.
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) checkValue(definition.defaultValue, definition.variable.name.value, {});
  }
  for (const [name, value] of Object.entries(variables)) checkJson(value, name);
}

/** The refusal of an operation passing a string PostgreSQL cannot store, or undefined when its input is clean. */
export function inputBoundaryRefusal(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): ClientError | undefined {
  try {
    checkOperation(document, operation, variables);
    return undefined;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return new ClientError(ErrorCode.BAD_USER_INPUT, `${error.field} must not contain the NUL character (U+0000)`, { field: error.field, http: { status: 400 } });
  }
}

export function inputBoundaryPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const refusal = inputBoundaryRefusal(document, operation, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}
