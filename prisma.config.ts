import { defineConfig } from 'prisma/config';

// `env("DATABASE_URL")` would throw when the variable is unset, even for `prisma generate`;
// the embedded database needs no URL, so fall back to a placeholder.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
