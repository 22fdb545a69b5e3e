/** The internal shape behind the GraphQL `Task`: its columns without the owner, which the API never shows. */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Connection } from '../../kernel/pagination.js';
import type { ChangeKind } from '../../kernel/pubsub.js';

export const TASK_FIELDS = { id: true, title: true, done: true, createdAt: true } as const satisfies Prisma.TaskSelect;

export type TaskEntity = Prisma.TaskGetPayload<{ select: typeof TASK_FIELDS }>;

/** A page of them; its totalCount is a thunk, counted only when selected. */
export type TaskConnectionEntity = Connection<TaskEntity>;

/** A TaskChange is the event as published, its ownerId never exposed (src/modules/tasks/tasks.events.ts). */
export type TaskChangeEntity = {
  kind: ChangeKind;
  task: TaskEntity;
  /** Decides who receives the event; never part of the payload. */
  ownerId: string;
};
