/** Books over HTTP: the publication year is checked against today's date, not the date the server started. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

const CREATE_BOOK = 'mutation ($year: Int!) { createBook(input: { title: "Later", author: "A. Writer", publishedYear: $year }) { publishedYear } }';

describe('books', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => server?.close());

  it('refuses a publication year after next year, and moves that bound with the calendar while the server runs', async () => {
    const thisYear = new Date().getUTCFullYear();
    const { token } = await server.createUser({ roles: ['admin'] });
    const create = (year: number, bearer = token) => server.graphql<{ createBook: { publishedYear: number } }>(CREATE_BOOK, { token: bearer, variables: { year } });

    expect((await create(thisYear + 1)).body.data?.createBook.publishedYear).toBe(thisYear + 1);
    const tooLate = await create(thisYear + 2);
    expect(tooLate.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'publishedYear' });

    // A year later, for the same running server (only the clock moves; tokens are signed at the new time).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(Date.UTC(thisYear + 1, 6, 1)) });
    const { token: nextYearToken } = await server.createUser({ roles: ['admin'] });
    expect((await create(thisYear + 2, nextYearToken)).body.data?.createBook.publishedYear).toBe(thisYear + 2);
  });
});
