// What kind of database failure an error is, for both providers (Prisma 7 with the pg and better-sqlite3
// driver adapters). Two questions matter:
// - isDatabaseUnavailable: the database cannot be reached right now (connection closed/refused, timeouts,
//   pool exhausted, SQLite busy). The learner gets 'errors.databaseUnavailable', not 'errors.internal'.
// - isPermanentWriteError: the database answered and refused THIS data (a constraint, a bad value). Retrying
//   the same rows can never succeed; the activity log drops such rows instead of retrying them forever.
// Checked by shape (code / meta.driverAdapterError), not by class, so both generated clients match.

/** Driver adapter error kinds (@prisma/driver-adapter-utils) that mean "not reachable now". */
const UNAVAILABLE_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/** Prisma codes that mean "not reachable now": P1001 can't reach, P1002 timeout, P1008 operation timeout, P1017 closed, P2024 pool timeout, P2028 transaction start timeout. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);

/**
 * pg's own errors, which the adapter passes through unwrapped: the query timeout (a network partition: nothing
 * answers), a connection that could not be made in time, or one that died under a query.
 */
const UNAVAILABLE_MESSAGE = /Query read timeout|timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error/;

/** Driver adapter error kinds that reject the data itself. */
const PERMANENT_KINDS = new Set([
  'ForeignKeyConstraintViolation',
  'NullConstraintViolation',
  'UniqueConstraintViolation',
  'RestrictViolation',
  'LengthMismatch',
  'ValueOutOfRange',
  'InvalidInputValue',
  'InconsistentColumnData',
  'MissingFullTextSearchIndex',
]);
/** Prisma codes for refused data: value too long, unique, FK, constraint, invalid value, null, missing value… */
const PERMANENT_CODES = new Set(['P2000', 'P2002', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023']);

interface AdapterCause {
  kind?: string;
  originalCode?: string;
}

function adapterCause(error: unknown): AdapterCause | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } } | null)?.meta;
  // Inside an interactive transaction the adapter's DriverAdapterError reaches the caller unwrapped (seen when
  // the connection is reset under a transaction: DriverAdapterError with cause { kind: 'ConnectionClosed' }).
  const unwrapped = (error as { name?: unknown } | null)?.name === 'DriverAdapterError' ? (error as { cause?: AdapterCause }).cause : undefined;
  const cause = meta?.driverAdapterError?.cause ?? unwrapped;
  return cause && typeof cause === 'object' ? cause : undefined;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const name = (error as { name?: unknown }).name;
  if (name === 'PrismaClientInitializationError') return true;
  const cause = adapterCause(error);
  if (cause?.kind && UNAVAILABLE_KINDS.has(cause.kind)) return true;
  // SQLite: another writer holds the lock longer than the busy timeout.
  if (cause?.originalCode === 'SQLITE_BUSY' || cause?.originalCode === 'SQLITE_LOCKED') return true;
  const code = codeOf(error);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

export function isPermanentWriteError(error: unknown): boolean {
  if (!error || typeof error !== 'object' || isDatabaseUnavailable(error)) return false;
  if ((error as { name?: unknown }).name === 'PrismaClientValidationError') return true;
  const cause = adapterCause(error);
  if (cause?.kind && PERMANENT_KINDS.has(cause.kind)) return true;
  // A raw query (P2010) reports the database's own code: PostgreSQL classes 22 (data) and 23 (integrity), SQLite constraints.
  const original = cause?.originalCode;
  if (original && (/^2[23][0-9A-Z]{3}$/.test(original) || original.startsWith('SQLITE_CONSTRAINT') || original === 'SQLITE_MISMATCH' || original === 'SQLITE_TOOBIG')) return true;
  const code = codeOf(error);
  return code !== undefined && PERMANENT_CODES.has(code);
}

/**
 * The row a write needed is gone (P2025 "record to update not found", P2003 foreign key: its parent was
 * deleted): a race with a deletion (/forget, /delete, /end) while the request was running.
 */
export function isRecordGone(error: unknown): boolean {
  const code = codeOf(error);
  if (code === 'P2025' || code === 'P2003') return true;
  return adapterCause(error)?.kind === 'ForeignKeyConstraintViolation';
}
