/**
 * The planner decides a guarded argument or input field on the values the executor will see:
 * every guarded position of the schema, generated from it, in every spelling an operation can
 * give it a value (literal, variable, defaulted variable, whole input given or defaulted, inside
 * a list), over real HTTP with real tokens. Each spelling is first sent without the guarded value
 * (allowed), then with it, on the same document: a plan cached for the first must not serve the second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../../src/kernel/permissions.js';
import { buildSchema } from '../../src/server/schema.js';
import { guardedPositions, guardedValueCoordinates, spellingsOf } from '../helpers/guarded-spellings.js';
import { startTestServer, type TestKit, type TestUser } from '../kit/index.js';

const { guards } = buildSchema();
const positions = guardedPositions(guards);

describe('every guarded argument and input field, in every spelling (generated from the schema)', () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestServer();
  });
  afterAll(() => kit?.close());

  it('reaches every guarded argument and input field of the schema from a root field', () => {
    expect(positions.length).toBeGreaterThan(0);
    expect([...new Set(positions.map(({ guard }) => guard.coordinate))].sort()).toEqual(guardedValueCoordinates(guards).sort());
  });

  const errorsOn = (body: { errors?: { extensions?: Record<string, unknown> }[] }, coordinate: string) =>
    (body.errors ?? []).filter((error) => (error.extensions?.authorization as { coordinate?: string } | undefined)?.coordinate === coordinate);

  describe.each(positions.map((position) => [`${position.guard.coordinate} in ${position.operationType} ${position.rootField.name}`, position] as const))('%s', (_, position) => {
    const { coordinate } = position.guard;
    let lacking: TestUser;
    let holder: TestUser;
    beforeAll(async () => {
      lacking = await kit.user({ permissions: ALL_PERMISSIONS.filter((permission) => !position.guard.permissions.includes(permission)) });
      holder = await kit.user({ permissions: ALL_PERMISSIONS });
    });

    it.each(spellingsOf(position).map((spelling) => [spelling.name, spelling] as const))('%s: denied without the permission, allowed with it or without the value', async (_, spelling) => {
      if (spelling.without) {
        const without = await kit.http(spelling.query, { as: lacking, variables: spelling.without });
        expect(errorsOn(without.body, coordinate)).toEqual([]);
      }
      const denied = await kit.http(spelling.query, { as: lacking, variables: spelling.variables });
      expect(errorsOn(denied.body, coordinate)).toMatchObject([{ path: [position.rootField.name], extensions: { code: 'FORBIDDEN', authorization: { missing: position.guard.permissions } } }]);
      // A denied mutation runs nothing; a denied query field answers null.
      if (position.operationType === 'mutation') expect(denied.body.data).toBeUndefined();
      else expect(denied.body.data?.[position.rootField.name]).toBeNull();

      const allowed = await kit.http(spelling.query, { as: holder, variables: spelling.variables });
      expect(errorsOn(allowed.body, coordinate)).toEqual([]);
    });
  });

  it("does not create a task in another user's list through a defaulted variable or a defaulted input", async () => {
    const lacking = await kit.user();
    const other = await kit.user();
    const before = await kit.db.prisma.task.count({ where: { ownerId: other.user.id } });
    for (const query of [
      `mutation ($o: ID = "${other.user.id}") { createTask(input: { title: "x", ownerId: $o }) { id } }`,
      `mutation ($in: CreateTaskInput = { title: "x", ownerId: "${other.user.id}" }) { createTask(input: $in) { id } }`,
    ]) {
      const response = await kit.http(query, { as: lacking });
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', authorization: { coordinate: 'CreateTaskInput.ownerId' } });
    }
    expect(await kit.db.prisma.task.count({ where: { ownerId: other.user.id } })).toBe(before);
  });

  it('answers variables that do not coerce as graphql-js does, before deciding anything', async () => {
    const response = await kit.http('mutation ($in: CreateTaskInput!) { createTask(input: $in) { id } }', { as: await kit.user(), variables: { in: { title: 'x', ownerId: { not: 'an id' } } } });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toMatchObject([{ message: expect.stringContaining('Variable "$in" got invalid value'), extensions: { code: 'BAD_USER_INPUT' } }]);
  });
});
