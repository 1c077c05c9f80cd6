// A fresh, migrated database for each test that opens one, closed and dropped after that test: opened bare
// (databasePerTest) or under whatever the test builds on it, such as a whole test core (freshPerTest).
import { afterEach } from 'vitest';
import { openDatabase, type Database } from '../../src/core/db/client.ts';
import type { TestDatabase } from './databases.ts';

export function freshPerTest<T extends { close(): Promise<unknown> }>(
  create: () => Promise<TestDatabase> | TestDatabase,
  openOn: (db: TestDatabase) => Promise<T>,
): { open(): Promise<T>; url(): string } {
  let db: TestDatabase | undefined;
  let opened: T | undefined;
  afterEach(async () => {
    await opened?.close();
    await db?.drop();
    opened = undefined;
    db = undefined;
  });
  return {
    async open() {
      db = await create();
      opened = await openOn(db);
      return opened;
    },
    url: () => db!.url,
  };
}

export function databasePerTest(create: () => Promise<TestDatabase> | TestDatabase): { open(): Promise<Database>; url(): string } {
  return freshPerTest(create, (db) => openDatabase(db.url));
}
