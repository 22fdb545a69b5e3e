/**
 * The task manager: every query is scoped to the owner, so another user's task is simply
 * not found (NOT_FOUND, never FORBIDDEN: ids must not reveal that a task exists).
 */
import { z } from 'zod';
import type { PrismaClient, SqlSession } from '../../db/database.js';
import { selectPage, type PageTable } from '../../db/keyset-page.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { cursorKey, readPage, type KeysetOrder, type PageArgs } from '../../kernel/pagination.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';
import type { TaskEvents } from './tasks.events.js';
import { TASK_FIELDS, type TaskConnectionEntity, type TaskEntity } from './tasks.mappers.js';

const createTaskInput = z.object({ title: text(1, 200), ownerId: z.string().nullish() });
const updateTaskInput = z.object({ title: text(1, 200), done: z.boolean() }).partial();

export type CreateTaskInput = z.input<typeof createTaskInput>;
export type UpdateTaskInput = { title?: string | null; done?: boolean | null };

/** Newest first; the id breaks ties between tasks created in the same millisecond. */
const TASKS_NEWEST_FIRST: KeysetOrder<TaskEntity> = {
  kind: 'tasks',
  order: [
    ['createdAt', 'desc'],
    ['id', 'desc'],
  ],
  keyOf: (task) => [task.createdAt.toISOString(), task.id],
  key: z.tuple([cursorKey.date, cursorKey.uuid]),
};

const TASKS_TABLE: PageTable<TaskEntity> = {
  table: 'tasks',
  columns: { id: 'id', title: 'title', done: 'done', createdAt: { name: 'created_at', timestamp: true } },
};

export class TasksService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlSession,
    private readonly maxPageSize: number,
    private readonly events?: TaskEvents,
  ) {}

  /** A page of the owner's tasks, newest first. */
  async listOwnedBy(ownerId: string, args: PageArgs): Promise<TaskConnectionEntity> {
    const page = readPage<Prisma.TaskWhereInput, Prisma.TaskOrderByWithRelationInput, TaskEntity>(TASKS_NEWEST_FIRST, args, this.maxPageSize);
    const filter = { owner_id: ownerId };
    const rows = await selectPage(this.sql, TASKS_TABLE, { filter, order: TASKS_NEWEST_FIRST.order, after: page.after, backward: page.backward, limit: page.take });
    return page.connection(rows, () => this.prisma.task.count({ where: { ownerId } }));
  }

  findOwnedBy(ownerId: string, id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.task.findFirst({ select: TASK_FIELDS, where: { id, ownerId } });
  }

  /** The owner's tasks among these ids, in one statement: another user's task is simply not found. */
  findManyOwnedBy(ownerId: string, ids: readonly string[]) {
    return this.prisma.task.findMany({ select: TASK_FIELDS, where: { id: { in: ids.filter(isUuid) }, ownerId } });
  }

  /** The viewer's own task, or (with `ownerId`, which the schema reserves to assign:tasks) another user's. */
  async create(viewerId: string, input: CreateTaskInput) {
    const { title, ownerId } = parseInput(createTaskInput, input);
    const owner = ownerId ?? viewerId;
    if (!isUuid(owner)) throw notFound('User');
    const task = await this.prisma.task.create({ select: TASK_FIELDS, data: { title, ownerId: owner } }).catch((error: unknown) => {
      // The owner vanished, or never existed: the foreign key says so.
      if ((error as { code?: string }).code === 'P2003') throw notFound('User');
      throw error;
    });
    await this.events?.taskChanged('CREATED', task, owner);
    return task;
  }

  // The owner is part of the unique WHERE clause: another user's task is simply not found, in one statement.
  async update(ownerId: string, id: string, input: UpdateTaskInput) {
    const data = parseInput(updateTaskInput, definedOnly(input));
    if (!isUuid(id)) throw notFound('Task');
    const task = await this.prisma.task.update({ select: TASK_FIELDS, where: { id, ownerId }, data }).catch(notFoundIfMissing('Task'));
    await this.events?.taskChanged('UPDATED', task, ownerId);
    return task;
  }

  async delete(ownerId: string, id: string) {
    if (!isUuid(id)) throw notFound('Task');
    const task = await this.prisma.task.delete({ select: TASK_FIELDS, where: { id, ownerId } }).catch(notFoundIfMissing('Task'));
    await this.events?.taskChanged('DELETED', task, ownerId);
    return task;
  }
}
