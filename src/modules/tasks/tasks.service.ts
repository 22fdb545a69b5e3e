/**
 * The task manager: every query is scoped to the owner, so another user's task is simply
 * not found (NOT_FOUND, never FORBIDDEN: ids must not reveal that a task exists).
 */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';
import { TASK_FIELDS } from './tasks.mappers.js';

const createTaskInput = z.object({ title: text(1, 200), ownerId: z.string().nullish() });
const updateTaskInput = z.object({ title: text(1, 200), done: z.boolean() }).partial();

export type CreateTaskInput = z.input<typeof createTaskInput>;
export type UpdateTaskInput = { title?: string | null; done?: boolean | null };

export class TasksService {
  constructor(private readonly prisma: PrismaClient) {}

  listOwnedBy(ownerId: string) {
    return this.prisma.task.findMany({ select: TASK_FIELDS, where: { ownerId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
  }

  findOwnedBy(ownerId: string, id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.task.findFirst({ select: TASK_FIELDS, where: { id, ownerId } });
  }

  /** The viewer's own task, or (with `ownerId`, which the schema reserves to assign:tasks) another user's. */
  async create(viewerId: string, input: CreateTaskInput) {
    const { title, ownerId } = parseInput(createTaskInput, input);
    const owner = ownerId ?? viewerId;
    if (!isUuid(owner)) throw notFound('User');
    return this.prisma.task.create({ select: TASK_FIELDS, data: { title, ownerId: owner } }).catch((error: unknown) => {
      // The owner vanished, or never existed: the foreign key says so.
      if ((error as { code?: string }).code === 'P2003') throw notFound('User');
      throw error;
    });
  }

  // The owner is part of the unique WHERE clause: another user's task is simply not found, in one statement.
  async update(ownerId: string, id: string, input: UpdateTaskInput) {
    const data = parseInput(updateTaskInput, definedOnly(input));
    if (!isUuid(id)) throw notFound('Task');
    return this.prisma.task.update({ select: TASK_FIELDS, where: { id, ownerId }, data }).catch(notFoundIfMissing('Task'));
  }

  async delete(ownerId: string, id: string) {
    if (!isUuid(id)) throw notFound('Task');
    return this.prisma.task.delete({ select: TASK_FIELDS, where: { id, ownerId } }).catch(notFoundIfMissing('Task'));
  }
}
