/**
 * What the task manager publishes: each created, updated or deleted task with its owner, and, per
 * subscriber, only the events of the tasks that subscriber owns. The catalog has no permission to
 * read other users' tasks (assign:tasks creates them, it does not read them), so nobody sees more
 * than `myTasks` would show them.
 */
import { eventStream, type ChangeKind, type PubSub } from '../../kernel/pubsub.js';
import type { Viewer } from '../../kernel/viewer.js';
import type { TaskChangeEntity, TaskEntity } from './tasks.mappers.js';

export const TASK_CHANGED = 'tasks.task-changed';

export type TaskChangedEvent = TaskChangeEntity;

export class TaskEvents {
  constructor(private readonly pubsub: PubSub) {}

  /** After the write committed. */
  taskChanged(kind: ChangeKind, task: TaskEntity, ownerId: string): Promise<void> {
    return this.pubsub.publish(TASK_CHANGED, { kind, task, ownerId } satisfies TaskChangedEvent);
  }

  /** The events `viewer` may see, decided per event on the subscriber's identity (never the author's). */
  changesVisibleTo(viewer: Viewer, onFiltered?: () => void): AsyncIterableIterator<TaskChangedEvent> {
    return eventStream<TaskChangedEvent>(this.pubsub, TASK_CHANGED, { visible: (event) => event.ownerId === viewer.userId, onFiltered });
  }
}
