/** The public HTTP endpoint: where it listens, who may call it from a browser, what it accepts. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { booleanFlag, commaList, port, positiveInt } from './values.js';

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

const isProxyEntry = (entry: string): boolean => {
  const [address, bits] = entry.trim().split('/');
  return PROXY_KEYWORDS.includes(entry.trim()) || (isIP(address ?? '') !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
};

/** Express's "trust proxy": false, true, a hop count, or a comma list of addresses, subnets and loopback/linklocal/uniquelocal. */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (value) => /^(true|false|\d+)$/.test(value) || value.split(',').every(isProxyEntry),
    'expected true, false, a hop count, or a comma list of IP addresses, subnets, loopback, linklocal or uniquelocal',
  )
  .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value));

export const httpConfig = defineSlice({
  variables: {
    PORT: { schema: port.default(4000), shown: '4000' },
    HOST: { schema: z.string().min(1).default('0.0.0.0'), shown: '0.0.0.0' },
    CLIENT_ORIGIN_URL: {
      schema: z.string().default('http://localhost:3000,http://localhost:4040'),
      doc: 'Browser origins allowed by CORS, comma-separated.',
      shown: 'http://localhost:3000,http://localhost:4040',
    },
    INTROSPECTION: { schema: booleanFlag.optional(), doc: 'Introspection: on outside production by default.' },
    GRAPHQL_MAX_BODY_BYTES: {
      schema: positiveInt.default(100 * 1024),
      doc: 'Largest request body in bytes (413 above), and largest request header block in bytes (431 above).',
      shown: '102400',
    },
    HTTP_MAX_HEADER_BYTES: { schema: z.coerce.number().int().min(1024).default(16 * 1024), shown: '16384' },
    TRUST_PROXY: {
      schema: trustProxy.default('loopback'),
      doc: `Which proxies may set X-Forwarded-For (the client IP that throttling counts): loopback (default),
false, true (any: only behind a proxy that overwrites the header), a hop count, or a comma list
of addresses / subnets (10.0.0.0/8) / linklocal / uniquelocal.`,
      shown: 'loopback',
    },
  },
  build: (env, { production }) => ({
    port: env.PORT,
    host: env.HOST,
    clientOrigins: commaList(env.CLIENT_ORIGIN_URL),
    introspection: env.INTROSPECTION ?? !production,
    http: {
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      maxHeaderBytes: env.HTTP_MAX_HEADER_BYTES,
      trustProxy: env.TRUST_PROXY,
    },
  }),
});
