// Hand-written SQL for the few statements every command runs, sent straight to the driver adapter the Prisma
// client itself uses (the same connection on SQLite, the same pool on PostgreSQL; prepared statements kept by
// statement-cache.ts; every statement still seen by query-observer.ts). Through the client ($queryRawUnsafe)
// the same statement costs about four times the CPU: the client's request pipeline, not the database, is most
// of it (`npm run bench -- --only=request-path`). Only repositories use it.
//
// One SQL text serves both providers: placeholders are written `?` (SQLite's) and numbered $1, $2… for
// PostgreSQL here, so a statement must have no `?` elsewhere (in a literal or an operator). Parameters are sent
// untyped; PostgreSQL takes their type from the column they go into.
//
// Errors are the adapter's own DriverAdapterError (the client would wrap them): errors.ts reads both shapes.
import type { ArgType, SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export type SqlArg = string | number | null;

export interface RawSql {
  /** Rows as objects keyed by column name (values as the driver returns them: ids as numbers, times as text). */
  query<Row extends Record<string, unknown>>(sql: string, args: readonly SqlArg[]): Promise<Row[]>;
  /** Rows changed. */
  execute(sql: string, args: readonly SqlArg[]): Promise<number>;
}

const STRING: ArgType = { scalarType: 'string', arity: 'scalar' };
const INT: ArgType = { scalarType: 'int', arity: 'scalar' };
const FLOAT: ArgType = { scalarType: 'float', arity: 'scalar' };
const UNKNOWN: ArgType = { scalarType: 'unknown', arity: 'scalar' };

/** The statement as the provider spells it: `?` placeholders numbered for PostgreSQL. */
function dialectOf(provider: SqlMigrationAwareDriverAdapterFactory['provider']): (sql: string) => string {
  if (provider === 'sqlite') return (sql) => sql;
  const numbered = new Map<string, string>(); // the repositories' few constant statements
  return (sql) => {
    let text = numbered.get(sql);
    if (text === undefined) {
      let n = 0;
      numbered.set(sql, (text = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return text;
  };
}

function argTypeOf(arg: SqlArg): ArgType {
  if (typeof arg === 'string') return STRING;
  if (typeof arg === 'number') return Number.isInteger(arg) ? INT : FLOAT;
  return UNKNOWN;
}

/**
 * Wraps the factory the Prisma client is given so that the hand-written statements and the client share one
 * connection (one better-sqlite3 handle, one pg pool), whichever of them opens it first. The statements run
 * before "ready" (the console learner's language, linking feedback) open it themselves, so the client's first
 * `$connect`, which loads its query compiler (~100 ms), can wait until after start-up (Database.warmUp).
 * `close` ends the connection if the client never took it (the client's $disconnect ends it otherwise).
 */
export function rawSqlOver(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  rawSql(): RawSql;
  close(): Promise<void>;
} {
  let opening: Promise<SqlDriverAdapter> | undefined;
  let current: SqlDriverAdapter | undefined;
  const open = (): Promise<SqlDriverAdapter> =>
    (opening ??= factory.connect().then(
      (connection) => {
        const dispose = connection.dispose.bind(connection);
        connection.dispose = () => {
          if (current === connection) [current, opening] = [undefined, undefined]; // whoever is next used opens a new one
          return dispose();
        };
        return (current = connection);
      },
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    ));
  const captured: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: open,
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  const rawSql = (): RawSql => {
    const connected = open;
    const dialect = dialectOf(factory.provider);
    const statement = (sql: string, args: readonly SqlArg[]) => ({ sql: dialect(sql), args: [...args], argTypes: args.map(argTypeOf) });
    return {
      async query<Row extends Record<string, unknown>>(sql: string, args: readonly SqlArg[]): Promise<Row[]> {
        const result = await (await connected()).queryRaw(statement(sql, args));
        const names = result.columnNames;
        return result.rows.map((values) => {
          const row: Record<string, unknown> = {};
          for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
          return row as Row;
        });
      },
      async execute(sql, args) {
        return (await connected()).executeRaw(statement(sql, args));
      },
    };
  };
  // A connection that failed to open has nothing to end.
  const close = async () => {
    await opening?.then((connection) => connection.dispose(), () => undefined);
  };
  return { factory: captured, rawSql, close };
}
