/**
 * Makes the compiler demand a resolver for every field a mapped type's entity cannot answer
 * itself, so a GraphQL field never falls back to the default resolver over a missing column, or
 * over one of another shape (a relation where the schema promises a list of names).
 */

/** Keys of the GraphQL type `Shape` that `Entity` lacks, or holds with another type. */
export type FieldsTheEntityLacks<Entity, Shape> = Exclude<
  { [K in keyof Shape]-?: K extends keyof Entity ? (Entity[K] extends Shape[K] ? never : K) : K }[keyof Shape],
  '__typename'
>;

/** A type's resolver map (`Resolvers`, e.g. the generated `UserResolvers`) with those fields required. */
export type EntityResolvers<Entity, Shape, Resolvers> = Resolvers & {
  [K in FieldsTheEntityLacks<Entity, Shape> & keyof Resolvers]-?: NonNullable<Resolvers[K]>;
};
