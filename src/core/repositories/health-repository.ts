import type { Db } from '../db/client.ts';

/** For /healthz: the cheapest round trip that proves the database answers (SQLite and PostgreSQL alike). */
export class HealthRepository {
  constructor(private readonly prisma: Db) {}

  async ping(): Promise<void> {
    await this.prisma.$queryRawUnsafe('SELECT 1');
  }
}
