/** The books: the list needs a signed-in viewer, one book is public, writes need the :books permissions. */
import { z } from 'zod';
import type { PrismaClient, SqlSession } from '../../db/database.js';
import { jsonPages, selectPage, type PageTable } from '../../db/keyset-page.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { cursorKey, readPage, type JsonPages, type KeysetOrder, type PageArgs } from '../../kernel/pagination.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';
import type { BookEvents } from './books.events.js';
import { BOOK_FIELDS, type BookConnectionEntity, type BookEntity } from './books.mappers.js';

// The bound is read per call: a server started in December must accept next year's books in January.
const publishedYear = z
  .number()
  .int('must be a whole year')
  .min(0, 'must not be negative')
  .refine((year) => year <= new Date().getUTCFullYear() + 1, 'must not be in the future');

const createBookInput = z.object({
  title: text(1, 200),
  author: text(1, 200),
  publishedYear,
  summary: text(0, 5000).nullish(),
});
const updateBookInput = createBookInput.partial();

export type CreateBookInput = z.input<typeof createBookInput>;
export type UpdateBookInput = { [K in keyof CreateBookInput]?: CreateBookInput[K] | null };

/** By title, as a reader looks for a book; the id orders books of the same title. */
const BOOKS_BY_TITLE: KeysetOrder<BookEntity> = {
  kind: 'books',
  order: [
    ['title', 'asc'],
    ['id', 'asc'],
  ],
  keyOf: (book) => [book.title, book.id],
  key: z.tuple([cursorKey.text, cursorKey.uuid]),
};

const BOOKS_TABLE: PageTable<BookEntity> = {
  table: 'books',
  columns: { id: 'id', title: 'title', author: 'author', publishedYear: 'published_year', summary: 'summary' },
};

export class BooksService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlSession,
    private readonly maxPageSize: number,
    private readonly events?: BookEvents,
  ) {}

  /** A page of books by title. */
  async list(args: PageArgs = {}): Promise<BookConnectionEntity> {
    const page = readPage<Prisma.BookWhereInput, Prisma.BookOrderByWithRelationInput, BookEntity>(BOOKS_BY_TITLE, args, this.maxPageSize);
    const rows = await selectPage(this.sql, BOOKS_TABLE, { order: BOOKS_BY_TITLE.order, after: page.after, backward: page.backward, limit: page.take });
    return page.connection(rows, () => this.prisma.book.count());
  }

  /** The same pages with each node written as JSON by the database, for the JSON-list path (src/server/json-lists.ts). */
  pagesAsJson(): JsonPages {
    return jsonPages(this.sql, BOOKS_TABLE, BOOKS_BY_TITLE, this.maxPageSize, () => this.prisma.book.count());
  }

  find(id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.book.findUnique({ select: BOOK_FIELDS, where: { id } });
  }

  /** The books of these ids that exist, in one statement (federation's entity batches). */
  findMany(ids: readonly string[]) {
    return this.prisma.book.findMany({ select: BOOK_FIELDS, where: { id: { in: ids.filter(isUuid) } } });
  }

  async create(input: CreateBookInput) {
    const book = await this.prisma.book.create({ select: BOOK_FIELDS, data: parseInput(createBookInput, input) });
    await this.events?.bookAdded(book);
    return book;
  }

  async update(id: string, input: UpdateBookInput) {
    // Unlike the other fields, an explicit `summary: null` clears the summary.
    const { summary, ...rest } = input;
    const data = parseInput(updateBookInput, { ...definedOnly(rest), ...(summary !== undefined && { summary }) });
    if (!isUuid(id)) throw notFound('Book');
    return this.prisma.book.update({ select: BOOK_FIELDS, where: { id }, data }).catch(notFoundIfMissing('Book'));
  }

  async delete(id: string) {
    if (!isUuid(id)) throw notFound('Book');
    return this.prisma.book.delete({ select: BOOK_FIELDS, where: { id } }).catch(notFoundIfMissing('Book'));
  }
}
