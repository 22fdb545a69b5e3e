import type { Book, BookResolvers, Resolvers } from '../../generated/graphql.js';
import { referenceById, type EntityReferences } from '../../kernel/entity-references.js';
import type { EntityResolvers } from '../../kernel/resolvers.js';
import type { BookEntity } from './books.mappers.js';
import type { BookAddedEvent, BookEvents } from './books.events.js';
import type { BooksService } from './books.service.js';

export const booksResolvers = (books: BooksService, events: BookEvents): Resolvers => ({
  Query: {
    books: (_parent, args) => books.list(args),
    book: (_parent, { id }) => books.find(id),
  },
  Mutation: {
    createBook: (_parent, { input }) => books.create(input),
    updateBook: (_parent, { id, input }) => books.update(id, input),
    deleteBook: (_parent, { id }) => books.delete(id),
  },
  Subscription: {
    bookAdded: { subscribe: () => events.added(), resolve: (event: BookAddedEvent) => event.book },
  },
  // The entity answers every field itself; the compiler says so, and would ask for a resolver otherwise.
  Book: {} satisfies EntityResolvers<BookEntity, Book, BookResolvers>,
  BookConnection: { totalCount: (connection) => connection.totalCount() },
});

/** Book as a federation entity: other subgraphs join it by id (the guard of Query.book decides who may). */
export const booksReferences = (books: BooksService): EntityReferences => ({
  Book: referenceById((ids) => books.findMany(ids)),
});

/** The books list, whose pages the database can write as JSON (src/server/json-lists.ts). */
export const booksJsonLists = (books: BooksService) => ({ books: books.pagesAsJson() });
