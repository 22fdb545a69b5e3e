/**
 * The task manager: every query is scoped to the owner, so another user's task is simply
 * not found (NOT_FOUND, never FORBIDDEN: ids must not reveal that a task exists).
 */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { notFound } from '../../kernel/errors.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';

const createTaskInput = z.object({ title: text(1, 200), ownerId: z.string().nullish() });
const updateTaskInput = z.object({ title: text(1, 200), done: z.boolean() }).partial();

export type CreateTaskInput = z.input<typeof createTaskInput>;
export type UpdateTaskInput = { title?: string | null; done?: boolean | null };

export class TasksService {
  constructor(private readonly prisma: PrismaClient) {}

  listOwnedBy(ownerId: string) {
    return this.prisma.task.findMany({ where: { ownerId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
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
