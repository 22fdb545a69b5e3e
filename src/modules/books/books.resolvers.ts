import type { Resolvers } from '../../generated/graphql.js';
import type { BooksService } from './books.service.js';

export const booksResolvers = (books: BooksService): Resolvers => ({
  Query: {
    books: (_parent, args) => books.list(args),
    book: (_parent, { id }) => books.find(id),
  },
  Mutation: {
    createBook: (_parent, { input }) => books.create(input),
    updateBook: (_parent, { id, input }) => books.update(id, input),
    deleteBook: (_parent, { id }) => books.delete(id),
  },
  BookConnection: { totalCount: (connection) => connection.totalCount() },
});
