/** Subscriptions over graphql-ws on /graphql (src/server/subscriptions/, README "Subscriptions"): limits, keep-alive, pub/sub channels. */
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { duration, durationOrOff, positiveInt } from './values.js';

export const subscriptionsConfig = defineSlice({
  variables: {
    SUBSCRIPTIONS_MAX_PER_SOCKET: {
      schema: positiveInt.default(20),
      doc: `Subscriptions over graphql-ws on /graphql (README, Subscriptions).
Running subscriptions on one socket; one more gets an error with SUBSCRIPTION_LIMIT (the socket goes on).`,
      shown: '20',
    },
    SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER: { schema: positiveInt.default(10), doc: 'Sockets one user may hold on one instance; one more is closed with 1008.', shown: '10' },
    SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS: {
      schema: positiveInt.default(100),
      doc: 'Sockets from one client address (as TRUST_PROXY reads it) on one instance; one more upgrade answers 429.',
      shown: '100',
    },
    SUBSCRIPTIONS_KEEPALIVE: {
      schema: durationOrOff.prefault('12s'),
      doc: 'Ping interval (durations as above); a socket without a pong by the next ping is dropped. 0: no pings.',
      shown: '12s',
    },
    SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT: {
      schema: duration.default(3),
      doc: 'How long a new socket may take to send connection_init before it is closed with 4408.',
      shown: '3s',
    },
    SUBSCRIPTIONS_MAX_BUFFERED_BYTES: {
      schema: positiveInt.default(1024 * 1024),
      doc: 'Bytes that may wait unsent for one socket; past it the slow reader is dropped (checked before each send).',
      shown: '1048576',
    },
    SUBSCRIPTIONS_MAX_PAYLOAD_BYTES: {
      schema: positiveInt.default(100 * 1024),
      doc: 'The largest message a client may send; a larger one closes the socket with 1009.',
      shown: '102400',
    },
    SUBSCRIPTIONS_RECHECK_INTERVAL: {
      schema: durationOrOff.prefault('30s'),
      doc: `How often each instance checks its sockets' sessions and users against the database, closing those
revoked or disabled (what a lost pub/sub message, or the CLI run without REDIS_URL, would miss). 0: never.`,
      shown: '30s',
    },
    SUBSCRIPTIONS_CHANNEL_PREFIX: {
      schema: z.string().trim().min(1).max(100).default('events'),
      doc: `Prefix of the Redis pub/sub channels events and revocations travel on (with REDIS_URL); every
instance of one deployment must share it.`,
      shown: 'events',
    },
  },
  build: (env) => ({
    subscriptions: {
      maxPerSocket: env.SUBSCRIPTIONS_MAX_PER_SOCKET,
      maxSocketsPerViewer: env.SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER,
      maxSocketsPerAddress: env.SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS,
      /** Ping every this many seconds; a socket without a pong by the next ping is dropped. 0: no pings. */
      keepAliveSeconds: env.SUBSCRIPTIONS_KEEPALIVE,
      connectionInitTimeoutSeconds: env.SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT,
      /** Bytes a socket may have queued unsent before it is dropped as a slow consumer. */
      maxBufferedBytes: env.SUBSCRIPTIONS_MAX_BUFFERED_BYTES,
      /** The largest message a client may send. */
      maxPayloadBytes: env.SUBSCRIPTIONS_MAX_PAYLOAD_BYTES,
      /** How often each instance checks the database for revoked sessions and disabled users of its open sockets (what a lost pub/sub message would miss). 0: never. */
      recheckIntervalSeconds: env.SUBSCRIPTIONS_RECHECK_INTERVAL,
      channelPrefix: env.SUBSCRIPTIONS_CHANNEL_PREFIX,
    },
  }),
});
