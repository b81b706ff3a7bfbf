import { pgSchema } from 'drizzle-orm/pg-core';

/**
 * Every table lives in the schema `notifier`, so that the notifier can share a PostgreSQL database with the
 * indexer, whose `blocks`, `models` and `results` tables have the same names.
 */
export const notifierSchema = pgSchema('notifier');
