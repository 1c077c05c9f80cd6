// One root pino logger (JSON). Each update gets a child logger with platform, chat, user and command.
// Secrets never reach a log line:
// - fields named like secrets (token, apiKey, authorization…) are redacted wherever they appear as fields;
// - every logged error (`err` or `error`, raw or already described) goes through one serializer that keeps
//   what helps (type, message, code, status, method, stack, the chain of causes, an AggregateError's errors),
//   scrubs tokens, keys and credentials out of every string, drops request/response bodies (they carry
//   learners' texts and webhook secrets) and secret headers;
// - as a last net, each finished line is scrubbed again, including the values this process knows are secret.
import { pino, type Logger, type DestinationStream } from 'pino';
import { join } from 'node:path';

export type { Logger };

export const REDACT_PATHS = [
  'token',
  'apiKey',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  'config.OPENAI_API_KEY',
  'config.TELEGRAM_BOT_TOKEN',
  'config.DISCORD_TOKEN',
  'config.TELEGRAM_WEBHOOK_SECRET',
];

export interface LoggerOptions {
  /** Values this process knows are secret (tokens, keys, passwords from its configuration): never logged. */
  secrets?: Array<string | undefined>;
}

export function createLogger(level: string, destination?: DestinationStream, options: LoggerOptions = {}): Logger {
  const known = knownSecrets(options.secrets ?? []);
  const scrub = (text: string) => scrubSecrets(text, known);
  const serializeError = (value: unknown) => describeForLog(value, scrub);
  return pino(
    {
      level,
      base: { service: 'tutor-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      hooks: { streamWrite: scrub },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** The secret values from the environment a bot process runs with, plus the password of each service URL. */
export function secretsOf(config: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const key of ['TELEGRAM_BOT_TOKEN', 'DISCORD_TOKEN', 'OPENAI_API_KEY', 'TELEGRAM_WEBHOOK_SECRET', 'ADMIN_TOKEN']) {
    const value = config[key];
    if (typeof value === 'string') values.push(value);
  }
  for (const key of ['DATABASE_URL', 'REDIS_URL']) {
    const value = config[key];
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value);
      if (url.password) values.push(url.password, decodeURIComponent(url.password));
    } catch {
      // Not a URL (a file path): nothing secret in it.
    }
  }
  return values;
}

function knownSecrets(values: Array<string | undefined>): string[] {
  const secrets = new Set<string>();
  for (const value of values) {
    if (!value || value.length < 6) continue;
    secrets.add(value);
    // The part after a Telegram token's bot id, and each part of a Discord token, are secret on their own.
    for (const part of value.split(/[:.]/)) if (part.length >= 16) secrets.add(part);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // Telegram: https://api.telegram.org/bot<id>:<token>/method and bare tokens.
  [/bot\d{3,}:[A-Za-z0-9_-]{10,}/g, 'bot[redacted]'],
  [/\b\d{6,}:[A-Za-z0-9_-]{25,}/g, '[redacted]'],
  // HTTP authorization: Bearer <key>, Bot <Discord token>, Basic <credentials>.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]'],
  [/\bBot\s+[A-Za-z0-9._-]{20,}/g, 'Bot [redacted]'],
  // OpenAI-style keys.
  [/\bsk-[A-Za-z0-9_-]{10,}/g, 'sk-[redacted]'],
  // Discord bot tokens (three base64url parts) and interaction/webhook tokens in REST URLs.
  [/\b[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}\b/g, '[redacted]'],
  [/(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_.-]{20,}/g, '$1[redacted]'],
  // Credentials in URLs: postgresql://user:password@host, redis://:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/gi, '$1[redacted]@'],
  // Secrets in query strings and key=value connection strings.
  [/([?&;](?:token|access_token|key|api_key|apikey|password|secret|sig|signature)=)[^&\s"']+/gi, '$1[redacted]'],
  [/\b(password|passwd|pwd)=[^&\s"';]+/gi, '$1=[redacted]'],
  // Header-like text: "authorization": "...", x-api-key: ...
  [/\b(authorization|proxy-authorization|x-api-key|api-key|cookie)(["']?\s*[:=]\s*["']?)(?!\[redacted|Bearer \[|Bot \[|Basic \[)[^"'\s,;}]+/gi, '$1$2[redacted]'],
];

/**
 * Removes bot tokens, API keys and credentials from free text (error messages and stacks from HTTP and
 * database clients can contain URLs with tokens or passwords), and every value of `known` literally.
 */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  let out = String(text ?? '');
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Keys whose values are secret wherever they appear in a logged error. */
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|api_key|token|access_token|password|secret|secret_token|client_secret|connectionstring)$/i;
/** Keys holding request or response bodies: their content (learners' texts, webhook secrets) is not logged. */
const BODY_KEY = /^(payload|requestbody|body|data|rawerror|request|response|config|options|_options)$/i;
/** The error properties worth keeping, in this order (own enumerable ones follow). */
const ERROR_FIELDS = ['message', 'code', 'errno', 'syscall', 'address', 'port', 'status', 'statusText', 'method', 'url', 'error_code', 'description', 'type', 'stack'];
const MAX_DEPTH = 6;

/**
 * The error's class as its source names it. dist/ is bundled without esbuild's keepNames (scripts/build.mjs),
 * so a class whose name collides with another in the bundle runs under a renamed binding: grammY's
 * `GrammyError4`, openai's `_APIError`. Logs keep the written name.
 */
function errorClassName(error: Error): string {
  const name = error.constructor?.name;
  if (!name || name === 'Object') return error.name;
  return name.replace(/^_(?=[A-Z])/, '').replace(/(?<=[A-Za-z])\d+$/, '');
}

/** A plain, JSON-safe and secret-free copy of an error (or of anything logged under `err`/`error`). */
export function describeForLog(value: unknown, scrub: (text: string) => string = (t) => scrubSecrets(t)): unknown {
  const seen = new WeakSet<object>();

  const copy = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return scrub(item);
    if (item === null || typeof item !== 'object') return typeof item === 'function' || typeof item === 'symbol' ? undefined : typeof item === 'bigint' ? String(item) : item;
    if (seen.has(item)) return '[circular]';
    if (depth > MAX_DEPTH) return '[too deep]';
    seen.add(item);
    if (Array.isArray(item)) return item.slice(0, 20).map((x) => copy(x, depth + 1));
    if (typeof Headers !== 'undefined' && item instanceof Headers) return headers(Object.fromEntries(item.entries()), depth);
    if (item instanceof URL) return scrub(item.href);
    if (Buffer.isBuffer(item) || ArrayBuffer.isView(item)) return `[${item.byteLength} bytes]`;

    const out: Record<string, unknown> = {};
    if (item instanceof Error) {
      out.type = errorClassName(item);
      const record = item as unknown as Record<string, unknown>;
      for (const key of ERROR_FIELDS) if (record[key] !== undefined) field(out, key, record[key], depth);
      // grammY's HttpError keeps the fetch error in `error`; others use `cause`; AggregateError has `errors`.
      if (item.cause !== undefined) out.cause = copy(item.cause, depth + 1);
      if (item instanceof AggregateError) out.errors = copy(item.errors, depth + 1);
    }
    for (const key of Object.keys(item)) {
      if (key in out || (item instanceof Error && (key === 'cause' || key === 'errors'))) continue;
      field(out, key, (item as Record<string, unknown>)[key], depth);
    }
    return out;
  };

  const field = (out: Record<string, unknown>, key: string, item: unknown, depth: number) => {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (BODY_KEY.test(key)) out[key] = summary(item);
    else if (/^headers$/i.test(key) && item && typeof item === 'object') out[key] = headers(item, depth);
    else out[key] = copy(item, depth + 1);
  };

  const headers = (item: object, depth: number) => {
    const entries = typeof Headers !== 'undefined' && item instanceof Headers ? Object.fromEntries(item.entries()) : (item as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(entries)) out[key] = SECRET_KEY.test(key) ? '[redacted]' : copy(v, depth + 1);
    return out;
  };

  return copy(value, 0);
}

/** What a body was, without its content. */
function summary(item: unknown): unknown {
  if (item === undefined || item === null) return item;
  if (typeof item === 'string') return `[${item.length} characters]`;
  if (Buffer.isBuffer(item) || ArrayBuffer.isView(item)) return `[${item.byteLength} bytes]`;
  if (typeof item === 'object') return { keys: Object.keys(item).slice(0, 20) };
  return `[${typeof item}]`;
}

/**
 * Where the terminal chat logs: JSON lines on stderr would interleave with the conversation in the same
 * terminal, so they go to a file under data/ unless LOG_FILE asks otherwise (a path, or `stderr`).
 * Synchronous: a chat session logs little, and nothing is lost when the process exits.
 */
export function chatLogDestination(logFile: string | undefined, root: string): { destination: DestinationStream; path?: string } {
  if (logFile === 'stderr') return { destination: pino.destination({ dest: 2, sync: false }) };
  const path = logFile ?? join(root, 'data', 'logs', 'chat.log');
  try {
    return { destination: pino.destination({ dest: path, mkdir: true, sync: true }), path };
  } catch (error) {
    process.stderr.write(`Cannot write logs to ${path} (${(error as Error).message}); logging to stderr.\n`);
    return { destination: pino.destination({ dest: 2, sync: false }) };
  }
}
