// A fake OpenAI-compatible server (node:http on 127.0.0.1) that the real openai SDK talks to.
// POST /v1/chat/completions (streaming SSE and plain JSON), GET /v1/models, and the audio API:
// POST /v1/audio/speech (real Ogg Opus from espeak-ng + opusenc) and POST /v1/audio/transcriptions (multipart;
// answers the text of a clip it made, else what transcribeWith() says). Audio faults: failNextAudio(). By default the assistant
// content is valid against the request's response_format JSON schema. Faults are queued with failNext().
//
//   const fake = await startFakeOpenAI();
//   const client = createLlmClient({ baseURL: fake.url, apiKey: 'test-key', ... });
//   fake.failNext({ status: 429, retryAfterSeconds: 0 });   // the next request only
//   fake.respondWith((req) => ({ cards: [] }));            // custom content (objects are JSON-serialised)
//   ...; await fake.close();
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { breakSchema, sampleFromSchema } from './fake-openai/sample-from-schema.ts';
import { chatStyle, refusalFor, seenSchema, type FakeStructuredOutput } from './fake-openai/structured-output.ts';

export type { FakeStructuredOutput } from './fake-openai/structured-output.ts';
import { spokenOggAsync, textOfClip } from './fake-openai/audio.ts';

/** One request to the audio API, as the fake received it. */
export interface FakeAudioRequest {
  route: 'speech' | 'transcriptions';
  /** speech: the JSON body; transcriptions: the multipart text fields (model, language, response_format). */
  fields: Record<string, string>;
  /** transcriptions: the uploaded file's bytes, name and type. */
  file?: { data: Uint8Array; name: string; type: string };
  headers: Record<string, string | string[] | undefined>;
}

export type AudioFault =
  | { status: number; retryAfterSeconds?: number }
  | { hang: true }
  | { delayMs: number }
  /** 200 with no body at all. */
  | { emptyBody: true }
  /** 200 with bytes that are not Ogg Opus (an HTML error page, as proxies send). */
  | { notAudio: true }
  /** transcriptions: this text instead of the usual one. */
  | { transcript: string };

export interface FakeOpenAIRequest {
  body: any;
  messages: Array<{ role: string; content: string }>;
  /** The schema the fake model sees: response_format's when honoured, else the one written into the prompt. */
  schemaName?: string;
  jsonSchema?: any;
  /** response_format.type as sent (undefined: none). */
  responseFormatType?: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Fault =
  | { status: number; retryAfterSeconds?: number; body?: unknown }
  | { hang: true }
  | { stallAfterFirstChunk: true }
  | { invalidJson: true }
  | { breakSchema: true }
  | { refusal: string }
  | { delayMs: number };

export interface FakeOpenAI {
  url: string; // base URL to give the SDK, ending in /v1
  requests: FakeOpenAIRequest[]; // every chat completion request received (also the failed ones)
  /** Custom content: an object is JSON-serialised as the assistant content; a string is sent verbatim. */
  respondWith(fn: (req: FakeOpenAIRequest) => unknown | Promise<unknown>): void;
  failNext(...faults: Fault[]): void; // queued, one per incoming request, before normal answers resume
  setLatency(ms: number): void; // delay before answering every request (for benchmarks)
  /** How response_format is treated from now on (see fake-openai/structured-output.ts); default 'json_schema'. */
  setStructuredOutput(mode: FakeStructuredOutput): void;
  /** How streamed content is paced (a real model writes token by token); the default sends it at once. */
  setStreaming(pacing: StreamPacing): void;
  usageTotals(): { promptTokens: number; completionTokens: number };
  /** Every audio API request received (also the failed ones). */
  audioRequests: FakeAudioRequest[];
  /** Queued audio faults, one per incoming audio request, before normal answers resume. */
  failNextAudio(...faults: AudioFault[]): void;
  /** The transcript for uploads the fake did not make itself (default: "Hola, quiero un café, por favor."). */
  transcribeWith(fn: (req: FakeAudioRequest) => string): void;
  close(): Promise<void>;
}

export interface StreamPacing {
  /** Content tokens per second (one token = 4 characters, fakeTokenCount's rule), one token per chunk; 0: at once. */
  tokensPerSecond?: number;
  /** After the headers and the first empty chunk, wait this long before the first token (a model's prompt time). */
  firstTokenDelayMs?: number;
  /**
   * Called before each content chunk with the content sent so far and the chunk about to go; a returned promise
   * holds the rest of the stream until it settles (a test waits until it saw the first card before the rest goes).
   */
  beforeChunk?: (sentSoFar: string, next: string) => Promise<void> | void;
}

export const FAKE_MODEL = 'fake-model';
const CHUNK_CHARS = 24;

/** Deterministic token count, the same rule for prompt and completion: ceil(chars / 4). */
export function fakeTokenCount(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface FakeOpenAIOptions {
  structuredOutput?: FakeStructuredOutput;
  /** false: `requests` stays empty, for a load of thousands of requests where the list would only grow. */
  keepRequests?: boolean;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: FakeOpenAIRequest[] = [];
  let received = 0;
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let responder: ((req: FakeOpenAIRequest) => unknown | Promise<unknown>) | undefined;
  let latencyMs = 0;
  let structuredOutput: FakeStructuredOutput = options.structuredOutput ?? 'json_schema';
  let pacing: StreamPacing = {};
  let previousFirstMessage = '';
  const totals = { promptTokens: 0, completionTokens: 0 };
  let closed = false;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const audioRequests: FakeAudioRequest[] = [];
  const audioFaults: AudioFault[] = [];
  let transcriber: (req: FakeAudioRequest) => string = () => 'Hola, quiero un café, por favor.';

  async function handleAudio(req: IncomingMessage, res: ServerResponse, route: 'speech' | 'transcriptions'): Promise<void> {
    const raw = await readBytes(req);
    const request: FakeAudioRequest = { route, fields: {}, headers: { ...req.headers } };
    if (route === 'speech') {
      const body = JSON.parse(raw.toString('utf8') || '{}');
      for (const [key, value] of Object.entries(body)) request.fields[key] = String(value);
    } else {
      // The SDK sends multipart/form-data; the platform's own parser reads it.
      const form = await new Response(raw, { headers: { 'content-type': String(req.headers['content-type'] ?? '') } }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') request.fields[key] = value;
        else request.file = { data: new Uint8Array(await value.arrayBuffer()), name: value.name, type: value.type };
      }
    }
    audioRequests.push(request);
    const fault = audioFaults.shift();
    await wait(latencyMs);
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      return sendJson(res, fault.status, { error: { message: `Fake failure ${fault.status}`, type: 'fake_error', code: null } }, headers);
    }
    if (fault && 'hang' in fault) return;
    if (fault && 'delayMs' in fault) await wait(fault.delayMs);
    if (route === 'speech') {
      if (!request.fields.input) return sendJson(res, 400, { error: { message: 'input is required', type: 'invalid_request_error' } });
      if (request.fields.response_format !== 'opus') return sendJson(res, 400, { error: { message: 'this fake speaks opus only', type: 'invalid_request_error' } });
      if (fault && 'emptyBody' in fault) {
        res.writeHead(200, { 'content-type': 'audio/ogg', 'content-length': 0 });
        return void res.end();
      }
      const audio = fault && 'notAudio' in fault ? Buffer.from('<html><body>502 Bad Gateway</body></html>') : Buffer.from(await spokenOggAsync(request.fields.input, 'es'));
      res.writeHead(200, { 'content-type': fault && 'notAudio' in fault ? 'text/html' : 'audio/ogg', 'content-length': audio.length });
      return void res.end(audio);
    }
    if (!request.file || !request.fields.model) return sendJson(res, 400, { error: { message: 'file and model are required', type: 'invalid_request_error' } });
    const text = fault && 'transcript' in fault ? fault.transcript : (textOfClip(request.file.data) ?? transcriber(request));
    return sendJson(res, 200, { text });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/v1/audio/speech') return handleAudio(req, res, 'speech');
    if (req.method === 'POST' && path === '/v1/audio/transcriptions') return handleAudio(req, res, 'transcriptions');
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: FAKE_MODEL, object: 'model', created: 0, owned_by: 'fake' }] });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: { message: `No route ${req.method} ${path}`, type: 'invalid_request_error' } });
    }
    const body = JSON.parse((await readBody(req)) || '{}');
    const messages = (body.messages ?? []).map((m: any) => ({ role: String(m.role), content: textOf(m.content) }));
    const seen = seenSchema(structuredOutput, body, messages);
    const request: FakeOpenAIRequest = {
      body,
      messages,
      schemaName: seen.name,
      jsonSchema: seen.schema,
      responseFormatType: body.response_format?.type,
      headers: { ...req.headers },
    };
    received++;
    if (options.keepRequests !== false) requests.push(request);
    // Validation comes first on a real server: a refused response_format consumes no queued fault.
    const refused = refusalFor(structuredOutput, body);
    if (refused) return sendJson(res, refused.status, refused.body);
    const fault = faults.shift();
    await wait(latencyMs);

    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const errorBody = fault.body ?? { error: { message: `Fake failure ${fault.status}`, type: 'fake_error', code: null } };
      return sendJson(res, fault.status, errorBody, headers);
    }
    if (fault && 'hang' in fault) return; // never answer; the socket is destroyed by close()
    if (fault && 'delayMs' in fault) await wait(fault.delayMs);

    const refusal = fault && 'refusal' in fault ? fault.refusal : undefined;
    const content = refusal !== undefined ? '' : await styledContent(request, fault);
    const usage = countUsage(request, content + (refusal ?? ''));
    const id = `chatcmpl-fake-${received}`;
    const model = typeof body.model === 'string' ? body.model : FAKE_MODEL;

    if (!body.stream) {
      totals.promptTokens += usage.prompt_tokens;
      totals.completionTokens += usage.completion_tokens;
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: refusal !== undefined ? null : content, refusal: refusal ?? null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage,
      });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);

    send(chunk({ role: 'assistant', content: '' }));
    if (fault && 'stallAfterFirstChunk' in fault) return; // headers and one chunk, then silence
    if (refusal !== undefined) {
      for (const piece of pieces(refusal, CHUNK_CHARS)) send(chunk({ refusal: piece }));
    } else {
      const paced = (pacing.tokensPerSecond ?? 0) > 0;
      await wait(pacing.firstTokenDelayMs ?? 0);
      let sent = '';
      for (const piece of pieces(content, paced ? 4 : CHUNK_CHARS)) {
        if (res.destroyed) return;
        await pacing.beforeChunk?.(sent, piece);
        send(chunk({ content: piece }));
        sent += piece;
        if (paced) await wait(1000 / pacing.tokensPerSecond!);
      }
    }
    send(chunk({}, 'stop'));
    if (body.stream_options?.include_usage) {
      totals.promptTokens += usage.prompt_tokens;
      totals.completionTokens += usage.completion_tokens;
      send({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [], usage });
    }
    res.end('data: [DONE]\n\n');
  }

  /** A chat model that ignores response_format writes prose around its JSON (and no JSON without a schema). */
  async function styledContent(request: FakeOpenAIRequest, fault: Fault | undefined): Promise<string> {
    if (structuredOutput !== 'ignores-response-format') return contentFor(request, fault);
    return chatStyle(request.jsonSchema ? await contentFor(request, fault) : undefined);
  }

  async function contentFor(request: FakeOpenAIRequest, fault: Fault | undefined): Promise<string> {
    if (fault && 'invalidJson' in fault) return '{"this is": not JSON at all';
    const schema = request.jsonSchema;
    if (fault && 'breakSchema' in fault) return JSON.stringify(breakSchema(schema ?? {}, schema ? sampleFromSchema(schema) : {}));
    if (responder) {
      const custom = await responder(request);
      return typeof custom === 'string' ? custom : JSON.stringify(custom);
    }
    return schema ? JSON.stringify(sampleFromSchema(schema)) : 'This is a fake reply.';
  }

  function countUsage(request: FakeOpenAIRequest, completion: string) {
    const promptText = request.messages.map((m) => m.content).join('');
    const first = request.messages[0]?.content ?? '';
    const cached = fakeTokenCount(first.slice(0, commonPrefixLength(first, previousFirstMessage)));
    previousFirstMessage = first;
    const prompt_tokens = fakeTokenCount(promptText);
    const completion_tokens = fakeTokenCount(completion);
    return {
      prompt_tokens,
      completion_tokens,
      total_tokens: prompt_tokens + completion_tokens,
      prompt_tokens_details: { cached_tokens: Math.min(cached, prompt_tokens) },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    respondWith(fn) {
      responder = fn;
    },
    failNext(...more) {
      faults.push(...more);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setStructuredOutput(mode) {
      structuredOutput = mode;
    },
    setStreaming(next) {
      pacing = { ...next };
    },
    usageTotals: () => ({ ...totals }),
    audioRequests,
    failNextAudio(...more) {
      audioFaults.push(...more);
    },
    transcribeWith(fn) {
      transcriber = fn;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** Message content may be a string or an array of parts ({ type: 'text', text }). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let i = 0; i < text.length; i += size) result.push(text.slice(i, i + size));
  return result;
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}
