import { randomBytes } from 'node:crypto';

import postgres from 'postgres';

/** PostgreSQL of these machines (and CI's); `TEST_DATABASE_URL` points elsewhere. */
export const testPostgresUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A new, empty PostgreSQL database (dropped by `drop`). Fails with a clear message when PostgreSQL is
 * unreachable: the tests never skip it.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `charter_notifier_${randomBytes(6).toString('hex')}`;
  const admin = postgres(testPostgresUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (cause) {
    await admin.end();
    throw new Error(
      `PostgreSQL is required by the notifier tests and is unreachable at ${testPostgresUrl} ` +
        `(set TEST_DATABASE_URL to another server): ${(cause as Error).message}`,
      { cause },
    );
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
