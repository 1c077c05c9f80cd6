// Plumbing shared by the fake's REST routes: Discord-shaped errors, routing, request bodies.
import type { IncomingMessage } from 'node:http';
import { toDiscordErrors, type FieldError } from './limits.ts';
import { snowflake, type FakeMessage, type Json } from './model.ts';
import { isVoiceMessageBody, voiceAttachmentFields } from './voice.ts';

export interface RestCall {
  method: string;
  /** Without the /api/v10 prefix, e.g. /channels/1/messages. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Uploaded files; `data` and `contentType` as the multipart part carried them. */
  files: Array<{ name: string; size: number; contentType?: string; data?: Buffer }>;
  status: number;
  response: unknown;
  at: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

export const fail = (status: number, code: number, message: string, errors?: FieldError[]): never => {
  throw new HttpError(status, { code, message, ...(errors ? { errors: toDiscordErrors(errors) } : {}) });
};

/** 50006 for an empty message, else 50035 Invalid Form Body with the field errors. */
export const invalid = (errors: FieldError[]): void => {
  if (!errors.length) return;
  if (errors.length === 1 && errors[0]!.code === 'EMPTY_MESSAGE') fail(400, 50006, 'Cannot send an empty message');
  fail(400, 50035, 'Invalid Form Body', errors);
};

export interface Request {
  params: string[];
  query: Record<string, string>;
  body: Json;
  files: RestCall['files'];
}
export type Result = { status: number; body?: unknown };
export type Handler = (req: Request) => Result;
export interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handler: Handler;
}

export const ok = (body: unknown, status = 200): Result => ({ status, body });
export const noContent = (): Result => ({ status: 204 });

/** `path` uses :name placeholders; `auth: false` for interaction callbacks and webhooks (token in the URL). */
export function route(method: string, path: string, handler: Handler, auth = true): Route {
  return { method, pattern: new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`), auth, handler };
}

/**
 * An edit's `attachments` lists the files to keep (by id; new uploads are named by their index instead):
 * Discord drops the others, so `attachments: []` removes every file. Without the field, all are kept.
 */
function keptAttachments(body: Json, previous: FakeMessage | undefined): Json[] {
  const existing = previous?.attachments ?? [];
  if (!Array.isArray(body.attachments)) return existing;
  const keep = new Set((body.attachments as Json[]).map((a) => String(a.id)));
  return existing.filter((a) => keep.has(String(a.id)));
}

/** The message fields a create/edit body sets; an edit keeps what the body leaves out. */
export function messageFields(body: Json, files: RestCall['files'], previous?: FakeMessage) {
  const voice = isVoiceMessageBody(body) && files.length === 1 ? voiceAttachmentFields(body) : {};
  const attachments = files.map((file) => ({
    id: snowflake(),
    filename: file.name,
    size: file.size,
    url: `https://cdn.fake/${file.name}`,
    proxy_url: `https://cdn.fake/${file.name}`,
    ...(file.contentType ? { content_type: file.contentType } : {}),
    ...voice,
  }));
  return {
    content: typeof body.content === 'string' ? body.content : (previous?.content ?? ''),
    embeds: Array.isArray(body.embeds) ? (body.embeds as Json[]) : (previous?.embeds ?? []),
    components: Array.isArray(body.components) ? (body.components as Json[]) : (previous?.components ?? []),
    attachments: [...keptAttachments(body, previous), ...attachments],
  };
}

export async function readBody(req: IncomingMessage): Promise<{ body: Json; files: RestCall['files'] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (!raw.length) return { body: {}, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: RestCall['files'] = [];
    let body: Json = {};
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value) as Json;
      else if (typeof value !== 'string') files.push({ name: value.name, size: value.size, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')) as Json, files: [] };
  } catch {
    return fail(400, 50109, 'The request body contains invalid JSON.');
  }
}
