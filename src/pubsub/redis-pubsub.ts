/**
 * The pub/sub engine over Redis: every instance publishes to and listens on the same channels, so an
 * event written on one reaches subscribers on all. One subscriber connection per process, whatever
 * the number of local listeners; each message is parsed once and handed to every local listener.
 */
import type { Redis } from 'ioredis';
import { connectRedis, REDIS_CONNECT_TIMEOUT_MS } from '../kernel/optional-packages.js';
import { LocalListeners, type Listener, type PubSub } from '../kernel/pubsub.js';
import type { Logger } from '../logger.js';

export interface RedisPubSubOptions {
  /** Put before every channel name: instances of one deployment share it, tests pick their own. */
  prefix: string;
  /** Listened on from the start, so `ready()` covers them (the transport's channels). */
  channels?: readonly string[];
  logger?: Logger;
}

export class RedisPubSub implements PubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new LocalListeners();
  private readonly prefix: string;
  private readonly logger: Logger | undefined;
  private readonly started: Promise<void>;
  private available = true;

  constructor(url: string, { prefix, channels = [], logger }: RedisPubSubOptions) {
    this.prefix = `${prefix}:`;
    this.logger = logger;
    // No offline queue for publishing: while Redis is away an event fails at once (and is logged) instead of piling up.
    this.publisher = connectRedis(url, { enableOfflineQueue: false });
    // The subscriber keeps its SUBSCRIBEs queued until Redis answers (never failing them), and re-subscribes by itself after a reconnect.
    this.subscriber = connectRedis(url, { maxRetriesPerRequest: null });
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => {
        if (!this.available) return;
        this.available = false;
        logger?.warn({ err: error }, 'Redis pub/sub unreachable: subscription events and revocations do not reach other instances');
      });
      connection.on('ready', () => {
        if (this.available) return;
        this.available = true;
        logger?.info('Redis pub/sub reachable again: subscription events are shared');
      });
    }
    this.subscriber.on('message', (channel: string, text: string) => {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      this.listeners.deliver(channel.slice(this.prefix.length), message);
    });
    this.started = channels.length > 0 ? this.subscriber.subscribe(...channels.map((channel) => this.prefix + channel)).then(() => undefined) : Promise.resolve();
    for (const channel of channels) this.listeners.add(channel, () => {});
    this.started.catch(() => {});
  }

  async publish(channel: string, message: unknown): Promise<void> {
    try {
      await this.publisher.publish(this.prefix + channel, JSON.stringify(message));
    } catch (error) {
      this.logger?.warn({ err: error, channel }, 'an event could not be published');
    }
  }

  listen(channel: string, listener: Listener): () => void {
    if (this.listeners.add(channel, listener)) void this.subscriber.subscribe(this.prefix + channel).catch(() => {});
    return () => {
      if (this.listeners.remove(channel, listener)) void this.subscriber.unsubscribe(this.prefix + channel).catch(() => {});
    };
  }

  /** At most a couple of seconds: an unreachable Redis is logged and retried, it does not hold start-up. */
  ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, REDIS_CONNECT_TIMEOUT_MS)));
    return Promise.race([this.started.catch(() => {}), timeout]).finally(() => clearTimeout(timer));
  }

  /** A QUIT would wait for a Redis that may be gone; nothing is left to send at shutdown. */
  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
