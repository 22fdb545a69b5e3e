/** The internal shape behind the GraphQL `Book`: the columns the type exposes, and only those are read. */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Connection } from '../../kernel/pagination.js';

export const BOOK_FIELDS = { id: true, title: true, author: true, publishedYear: true, summary: true } as const satisfies Prisma.BookSelect;

export type BookEntity = Prisma.BookGetPayload<{ select: typeof BOOK_FIELDS }>;

/** A page of them; its totalCount is a thunk, counted only when selected. */
export type BookConnectionEntity = Connection<BookEntity>;
