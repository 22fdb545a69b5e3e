/**
 * The task manager: every query is scoped to the owner, so another user's task is simply
 * not found (NOT_FOUND, never FORBIDDEN: ids must not reveal that a task exists).
 */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { notFound } from '../../kernel/errors.js';
import { cursorKey, readPage, type Connection, type KeysetOrder, type PageArgs } from '../../kernel/pagination.js';
import type { Prisma, Task } from '../../generated/prisma/client.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';

const createTaskInput = z.object({ title: text(1, 200), ownerId: z.string().nullish() });
const updateTaskInput = z.object({ title: text(1, 200), done: z.boolean() }).partial();

export type CreateTaskInput = z.input<typeof createTaskInput>;
export type UpdateTaskInput = { title?: string | null; done?: boolean | null };

/** Newest first; the id breaks ties between tasks created in the same millisecond. */
const TASKS_NEWEST_FIRST: KeysetOrder<Task> = {
  kind: 'tasks',
  order: [
    ['createdAt', 'desc'],
    ['id', 'desc'],
  ],
  keyOf: (task) => [task.createdAt.toISOString(), task.id],
  key: z.tuple([cursorKey.date, cursorKey.uuid]),
};

export type TaskConnectionEntity = Connection<Task>;

export class TasksService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
  ) {}

  /** A page of the owner's tasks, newest first. */
  async listOwnedBy(ownerId: string, args: PageArgs): Promise<Connection<Task>> {
    const page = readPage<Prisma.TaskWhereInput, Prisma.TaskOrderByWithRelationInput, Task>(TASKS_NEWEST_FIRST, args, this.maxPageSize);
    const where = { ownerId };
    const rows = await this.prisma.task.findMany({ where: page.where ? { AND: [where, page.where] } : where, orderBy: page.orderBy, take: page.take });
    return page.connection(rows, () => this.prisma.task.count({ where }));
  }

  findOwnedBy(ownerId: string, id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.task.findFirst({ where: { id, ownerId } });
  }

  /** The viewer's own task, or (with `ownerId`, which the schema reserves to assign:tasks) another user's. */
  async create(viewerId: string, input: CreateTaskInput) {
    const { title, ownerId } = parseInput(createTaskInput, input);
    const owner = ownerId ?? viewerId;
    if (!isUuid(owner)) throw notFound('User');
    return this.prisma.task.create({ data: { title, ownerId: owner } }).catch((error: unknown) => {
      // The owner vanished, or never existed: the foreign key says so.
      if ((error as { code?: string }).code === 'P2003') throw notFound('User');
      throw error;
    });
  }

  async update(ownerId: string, id: string, input: UpdateTaskInput) {
    const data = parseInput(updateTaskInput, definedOnly(input));
    // The owner is part of the WHERE clause, so the check and the write are one statement.
    const updated = isUuid(id) ? await this.prisma.task.updateManyAndReturn({ where: { id, ownerId }, data }) : [];
    if (!updated[0]) throw notFound('Task');
    return updated[0];
  }

  async delete(ownerId: string, id: string) {
    return this.prisma.$transaction(async (tx) => {
      const task = isUuid(id) ? await tx.task.findFirst({ where: { id, ownerId } }) : null;
      if (!task) throw notFound('Task');
      await tx.task.deleteMany({ where: { id, ownerId } });
      return task;
    });
  }
}
