/**
 * The trusted-documents manifest (client/generated/trusted-documents.json): the client preset's
 * persisted documents (sha256 → document), each with its operation name and what it requires, from
 * the same planner analysis as permissions.json. The one artifact a frontend ships with the server.
 * Run by `npm run codegen` after graphql-codegen; CI fails when it is stale.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildSchema, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { authorizationDirectives } from '../../src/authz/directives/index.js';
import { SchemaGuards } from '../../src/authz/schema-guards.js';
import { operationRequirements, type OperationRequirements } from './permissions-manifest.js';

export interface TrustedDocument {
  document: string;
  operationName: string;
  requires: OperationRequirements;
}

/** Keyed by the bare sha256 hex of `document` (Apollo's persistedQuery format; `documentId` may add "sha256:"). */
export type TrustedDocumentsManifest = Record<string, TrustedDocument>;

/** The manifest of the preset's persisted documents ("sha256:<hex>" → document text). */
export function trustedDocumentsManifest(schema: GraphQLSchema, persisted: Record<string, string>): TrustedDocumentsManifest {
  const guards = new SchemaGuards(schema, authorizationDirectives());
  const entries = Object.entries(persisted).map(([id, text]): [string, TrustedDocument] => {
    const hash = createHash('sha256').update(text).digest('hex');
    if (id.replace(/^sha256:/, '') !== hash) throw new Error(`Persisted document ${id} does not hash to its id`);
    const document = parse(text);
    const operations = document.definitions.filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
    const operationName = operations[0]?.name?.value;
    if (operations.length !== 1 || !operationName) throw new Error(`Persisted document ${id} must hold exactly one named operation`);
    return [hash, { document: text, operationName, requires: operationRequirements(guards, document, operationName) }];
  });
  return Object.fromEntries(entries.sort(([, a], [, b]) => a.operationName.localeCompare(b.operationName)));
}

async function main(): Promise<void> {
  const root = new URL('../../', import.meta.url);
  const schema = buildSchema(readFileSync(new URL('schema.graphql', root), 'utf8'));
  const persisted = JSON.parse(readFileSync(new URL('client/generated/persisted-documents.json', root), 'utf8')) as Record<string, string>;
  const manifest = trustedDocumentsManifest(schema, persisted);
  writeFileSync(new URL('client/generated/trusted-documents.json', root), `${JSON.stringify(manifest, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
