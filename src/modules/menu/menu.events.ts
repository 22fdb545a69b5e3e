/** What the menu publishes: every created, updated or deleted item, to anyone (the menu is public). */
import { eventStream, type ChangeKind, type EventStreamOptions, type PubSub } from '../../kernel/pubsub.js';
import type { MenuItemChangeEntity, MenuItemEntity } from './menu.mappers.js';

export const MENU_ITEM_CHANGED = 'menu.item-changed';

export type MenuItemChangedEvent = MenuItemChangeEntity;

export class MenuEvents {
  constructor(private readonly pubsub: PubSub) {}

  /** After the write committed. */
  itemChanged(kind: ChangeKind, item: MenuItemEntity, actorId: string | null = null): Promise<void> {
    return this.pubsub.publish(MENU_ITEM_CHANGED, { kind, item, actorId } satisfies MenuItemChangedEvent);
  }

  /** Every change: MenuItem has no guarded field. */
  changes(options?: EventStreamOptions<MenuItemChangedEvent>): AsyncIterableIterator<MenuItemChangedEvent> {
    return eventStream(this.pubsub, MENU_ITEM_CHANGED, options);
  }
}
