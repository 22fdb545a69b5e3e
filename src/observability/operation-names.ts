/**
 * The operation names metrics may use as labels: those of the documents this project ships
 * (client/operations/*.graphql), read once at start-up. Any other name is counted as `other`,
 * so a client cannot grow the number of series by inventing names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

/** client/operations, from src/observability or dist/observability alike. */
const OPERATIONS_DIRECTORY = new URL('../../client/operations/', import.meta.url);

export function knownOperationNames(directory: URL = OPERATIONS_DIRECTORY): Set<string> {
  const names = new Set<string>();
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith('.graphql'));
  } catch {
    // An image without the client documents still serves metrics; every operation is then `other`.
    return names;
  }
  for (const file of files) {
    for (const definition of parse(readFileSync(new URL(file, directory), 'utf8')).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
    }
  }
  return names;
}
