// A fresh, migrated database for each test that opens one, closed and dropped after that test.
import { afterEach } from 'vitest';
import { openDatabase, type Database } from '../../src/core/db/client.ts';
import type { TestDatabase } from './databases.ts';

export function databasePerTest(create: () => Promise<TestDatabase> | TestDatabase): { open(): Promise<Database>; url(): string } {
  let db: TestDatabase | undefined;
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    await db?.drop();
    database = undefined;
    db = undefined;
  });
  return {
    async open() {
      db = await create();
      database = await openDatabase(db.url);
      return database;
    },
    url: () => db!.url,
  };
}
