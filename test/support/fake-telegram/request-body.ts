// Reads a Bot API request body the way Telegram does: JSON, urlencoded, or multipart/form-data (grammY uses
// multipart for file uploads, with object fields JSON-encoded).
import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

export type Payload = Record<string, unknown>;

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A parameter of a header such as content-disposition: name="x"; filename=y (quoted or not, as grammY sends it). */
function headerParam(header: string, param: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${param}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, 'i').exec(header);
  return match ? (match[1] ?? match[2]!.trim()) : undefined;
}

/**
 * multipart/form-data as Telegram accepts it. grammY writes compact headers ("content-disposition:form-data;name=…",
 * unquoted filenames) that Node's own FormData parser rejects, and refers to file parts with "attach://<name>".
 */
function parseMultipart(body: Buffer, contentType: string): Payload {
  const boundary = headerParam(contentType, 'boundary');
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, string>();
  const files = new Map<string, UploadedFile>();
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // without the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8').split('\r\n');
    const content = part.subarray(split + 4);
    const header = (name: string) => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
    const disposition = header('content-disposition');
    const name = headerParam(disposition, 'name') ?? '';
    const filename = headerParam(disposition, 'filename');
    if (filename !== undefined) files.set(name, { filename, mimeType: header('content-type') || 'application/octet-stream', bytes: Buffer.from(content) });
    else fields.set(name, content.toString('utf8'));
    position = next;
  }
  const payload: Payload = {};
  for (const [name, value] of fields) {
    const attached = value.startsWith('attach://') ? files.get(value.slice('attach://'.length)) : undefined;
    payload[name] = attached ?? formValue(value);
  }
  for (const [name, file] of files) if (!(name in payload) && ![...fields.values()].includes(`attach://${name}`)) payload[name] = file;
  return payload;
}

/** Form fields are strings; objects and arrays arrive JSON-encoded. */
function formValue(value: string): unknown {
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export async function readPayload(req: IncomingMessage): Promise<Payload> {
  const body = await readAll(req);
  const contentType = req.headers['content-type'] ?? '';
  if (body.length === 0) return {};
  if (contentType.includes('application/json')) return JSON.parse(body.toString('utf8')) as Payload;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries([...new URLSearchParams(body.toString('utf8'))].map(([k, v]) => [k, formValue(v)]));
  }
  if (contentType.includes('multipart/form-data')) return parseMultipart(body, contentType);
  return JSON.parse(body.toString('utf8')) as Payload;
}
