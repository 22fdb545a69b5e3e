// Prints what the subgraph answers to `_service { sdl }` (SUBGRAPH=on) to subgraph.graphql: what a gateway composes, reviewable like schema.graphql.
import { writeFileSync } from 'node:fs';
import { buildSubgraph, moduleReferences } from '../src/server/subgraph.js';
import type { Services } from '../src/server/services.js';

// Only the entity type names are read from the references: no service is called, so none is built.
const references = moduleReferences({} as Services);
const { sdl } = buildSubgraph({ references, maxRepresentations: 100, mode: 'filter' });
writeFileSync('subgraph.graphql', sdl.endsWith('\n') ? sdl : `${sdl}\n`);
