/** What the books API publishes: each book added, to every signed-in subscriber (the field is @auth). */
import { eventStream, type EventStreamOptions, type PubSub } from '../../kernel/pubsub.js';
import type { BookEntity } from './books.mappers.js';

export const BOOK_ADDED = 'books.book-added';

export interface BookAddedEvent {
  book: BookEntity;
}

export class BookEvents {
  constructor(private readonly pubsub: PubSub) {}

  /** After the write committed. */
  bookAdded(book: BookEntity): Promise<void> {
    return this.pubsub.publish(BOOK_ADDED, { book } satisfies BookAddedEvent);
  }

  added(options?: EventStreamOptions<BookAddedEvent>): AsyncIterableIterator<BookAddedEvent> {
    return eventStream(this.pubsub, BOOK_ADDED, options);
  }
}
