import { isAbsolute, join } from 'node:path';
import { projectRoot } from '../paths.ts';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** For SQLite a file path (or ':memory:'), for PostgreSQL the connection string. */
  location: string;
}

export const DEFAULT_SQLITE_FILE = join(projectRoot, 'data', 'tutor.db');

/** DATABASE_URL unset → the embedded SQLite file; `file:…` → SQLite; `postgres(ql)://…` → PostgreSQL. */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { provider: 'sqlite', location: DEFAULT_SQLITE_FILE };
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: 'postgresql', location: url };
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\//, '');
    if (path === ':memory:') return { provider: 'sqlite', location: ':memory:' };
    return { provider: 'sqlite', location: isAbsolute(path) ? path : join(projectRoot, path) };
  }
  throw new Error('DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)');
}
