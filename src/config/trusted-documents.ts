/**
 * Which documents may run (README, "Trusted documents"): `off` any, `log` any while logging unknown
 * ones, `enforce` only those of the manifest, sent by hash, except for holders of `allowArbitrary`.
 */
import { z } from 'zod';
import { ALL_PERMISSIONS, isPermission, type Permission } from '../kernel/permissions.js';
import { defineSlice } from './slice.js';
import { commaList } from './values.js';

export const trustedDocumentsConfig = defineSlice({
  variables: {
    TRUSTED_DOCUMENTS: {
      schema: z.enum(['off', 'log', 'enforce']).optional(),
      doc: `Trusted documents (README, "Trusted documents"): off | log | enforce. Unset: enforce in production,
off otherwise. off: any document runs; log: any runs, and each unknown one is logged once with its
hash and operation name; enforce: only the manifest's documents run, sent by hash (documentId or
extensions.persistedQuery); any other answers 400 TRUSTED_DOCUMENT_REQUIRED before it is parsed.`,
    },
    TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: {
      schema: z.string().optional(),
      doc: `Permissions whose holders may still send any document in enforce mode, comma-separated
(e.g. manage:users for an admin console). Unset: nobody.`,
    },
    TRUSTED_DOCUMENTS_MANIFEST: {
      schema: z.string().trim().min(1).optional(),
      doc: `The manifest, read at start-up (log and enforce refuse to start without it). Unset: the one
\`npm run codegen\` writes, client/generated/trusted-documents.json.`,
    },
  },
  build: (env, { production, fail }) => {
    const allowArbitrary = commaList(env.TRUSTED_DOCUMENTS_ALLOW_ARBITRARY);
    const unknownPermission = allowArbitrary.find((permission) => !isPermission(permission));
    if (unknownPermission) fail(`TRUSTED_DOCUMENTS_ALLOW_ARBITRARY names an unknown permission "${unknownPermission}"; expected some of: ${ALL_PERMISSIONS.join(', ')}`);
    return {
      trustedDocuments: {
        mode: env.TRUSTED_DOCUMENTS ?? (production ? 'enforce' : 'off'),
        allowArbitrary: allowArbitrary as Permission[],
        /** Relative to the working directory; unset: the manifest codegen writes, beside the server's code. */
        manifestPath: env.TRUSTED_DOCUMENTS_MANIFEST,
      },
    };
  },
});
