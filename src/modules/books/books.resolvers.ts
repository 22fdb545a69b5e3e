import type { Resolvers } from '../../generated/graphql.js';

export const booksResolvers: Resolvers = {
  Query: {
    books: (_parent, _args, { services }) => services.books.list(),
    book: (_parent, { id }, { services }) => services.books.find(id),
  },
  Mutation: {
    createBook: (_parent, { input }, { services }) => services.books.create(input),
    updateBook: (_parent, { id, input }, { services }) => services.books.update(id, input),
    deleteBook: (_parent, { id }, { services }) => services.books.delete(id),
  },
};
