/** The pub/sub engine the configuration asks for: Redis when REDIS_URL is set, this process alone otherwise. */
import type { Config } from '../config.js';
import { InProcessPubSub, type PubSub } from '../kernel/pubsub.js';
import type { Logger } from '../logger.js';
import { RedisPubSub } from './redis-pubsub.js';

export function createPubSub(config: Pick<Config, 'redisUrl' | 'subscriptions'>, { channels, logger }: { channels?: readonly string[]; logger?: Logger } = {}): PubSub {
  if (!config.redisUrl) return new InProcessPubSub();
  return new RedisPubSub(config.redisUrl, { prefix: config.subscriptions.channelPrefix, channels, logger });
}
