import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` (in notifier/) writes a migration for each schema change into drizzle/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/database/schema/index.ts',
  out: './drizzle',
});
