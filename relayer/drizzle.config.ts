import { defineConfig } from 'drizzle-kit';

// `npm run db:generate -w relayer` writes a migration for each schema change into drizzle/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/database/schema/index.ts',
  out: './drizzle',
});
