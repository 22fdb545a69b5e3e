/**
 * The pub/sub engine domains publish their events through, and subscriptions read them from: a
 * small interface over Redis (src/pubsub/redis-pubsub.ts, every instance) or this process alone.
 * Messages are JSON on every engine, so a subscriber sees the same shapes (dates as strings) whichever runs.
 */

export type Listener = (message: unknown) => void;

export interface PubSub {
  /** Delivers `message` to every listener of `channel`, on every instance; a lost engine is logged, never thrown to the publisher. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Calls `listener` with each message of `channel` until the returned function is called. */
  listen(channel: string, listener: Listener): () => void;
  /** Resolves once the engine listens on every channel it was asked to (Redis: the SUBSCRIBE is confirmed). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** What a domain publishes on its channel, parsed back. */
export interface EventStreamOptions<Event> {
  /** Per event, for one subscriber: false drops the event for that subscriber only. */
  visible?: (event: Event) => boolean;
  /** Called for each event `visible` dropped (the transport counts them). */
  onFiltered?: () => void;
}

/**
 * One subscriber's events of `channel`, as an async iterator that ends when `return()` is called
 * (graphql-js calls it when the subscription completes). Its queue only holds what arrived while
 * the previous event was being executed; a slow socket is bounded by the transport, not here.
 */
export function eventStream<Event>(pubsub: PubSub, channel: string, { visible, onFiltered }: EventStreamOptions<Event> = {}): AsyncIterableIterator<Event> {
  const queue: Event[] = [];
  let waiting: ((result: IteratorResult<Event>) => void) | undefined;
  let done = false;
  const stop = pubsub.listen(channel, (message) => {
    const event = message as Event;
    if (visible && !visible(event)) {
      onFiltered?.();
      return;
    }
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: event, done: false });
    } else {
      queue.push(event);
    }
  });
  const finish = (): Promise<IteratorResult<Event>> => {
    if (!done) {
      done = true;
      stop();
      queue.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Listeners by channel, for one process: what every engine delivers its messages to. */
export class LocalListeners {
  private readonly byChannel = new Map<string, Set<Listener>>();

  /** Returns true when `channel` had no listener before (an engine then starts listening on it). */
  add(channel: string, listener: Listener): boolean {
    let listeners = this.byChannel.get(channel);
    const first = !listeners;
    if (!listeners) this.byChannel.set(channel, (listeners = new Set()));
    listeners.add(listener);
    return first;
  }

  /** Returns true when `channel` has no listener left. */
  remove(channel: string, listener: Listener): boolean {
    const listeners = this.byChannel.get(channel);
    if (!listeners) return false;
    listeners.delete(listener);
    if (listeners.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  deliver(channel: string, message: unknown): void {
    for (const listener of this.byChannel.get(channel) ?? []) listener(message);
  }
}

/** This process only: for one instance, or a test. */
export class InProcessPubSub implements PubSub {
  private readonly listeners = new LocalListeners();

  async publish(channel: string, message: unknown): Promise<void> {
    // Through JSON like Redis, and after the publisher's own work (a microtask later).
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    await Promise.resolve();
    this.listeners.deliver(channel, copy);
  }

  listen(channel: string, listener: Listener): () => void {
    this.listeners.add(channel, listener);
    return () => void this.listeners.remove(channel, listener);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}

/** What happened to a record, as change events name it (the GraphQL enum ChangeKind). */
export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';
