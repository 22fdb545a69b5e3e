/**
 * Federation's `__resolveReference` for an entity keyed by `id`: each request gets its own
 * DataLoader (keyed by its context), so the representations of one `_entities` call cost one
 * batched read, never one per key, and a batch never mixes two viewers' requests.
 */
import DataLoader from 'dataloader';
import type { Context } from './context.js';

/** What @apollo/subgraph calls for each representation of the type. */
export interface ReferenceResolver<Entity> {
  __resolveReference(reference: { id: string }, context: Context): Promise<Entity | null>;
}

/** Entity type name → its reference resolver: a module's contribution to the subgraph. */
export type EntityReferences = Record<string, ReferenceResolver<unknown>>;

/** `loadMany(ids, context)` answers the rows it found, in any order; every row has its `id`. */
export function referenceById<Entity extends { id: string }>(loadMany: (ids: readonly string[], context: Context) => Promise<readonly Entity[]>): ReferenceResolver<Entity> {
  const loaders = new WeakMap<Context, DataLoader<string, Entity | null>>();
  const loaderFor = (context: Context) => {
    let loader = loaders.get(context);
    if (!loader) {
      loader = new DataLoader<string, Entity | null>(async (ids) => {
        const found = new Map((await loadMany(ids, context)).map((entity) => [entity.id, entity]));
        return ids.map((id) => found.get(id) ?? null);
      });
      loaders.set(context, loader);
    }
    return loader;
  };
  return { __resolveReference: (reference, context) => loaderFor(context).load(reference.id) };
}
