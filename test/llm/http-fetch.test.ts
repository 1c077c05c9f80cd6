// The fetch the openai SDK is given (src/core/llm/http-fetch.ts, node:http with keep-alive): it must behave as
// the built-in fetch does where the SDK and stream-completion.ts rely on it. The SDK paths themselves (retries,
// the deadline, the stall watchdog) are covered through the client in client.test.ts / failures.test.ts and
// test/faults/llm.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpFetch } from '../../src/core/llm/http-fetch.ts';
import { completionChunks } from '../../src/core/llm/sse-chunks.ts';

let server: http.Server;
let base: string;
let connections = 0;
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
const fetchers: Array<{ close(): void }> = [];

beforeEach(async () => {
  connections = 0;
  server = http.createServer((req, res) => handler(req, res));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const f of fetchers.splice(0)) f.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function httpFetch() {
  const f = createHttpFetch();
  fetchers.push(f);
  return f;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('the SDK fetch over node:http', () => {
  it('sends method, headers and body, and answers status, headers and body like fetch', async () => {
    let seen: { method?: string; type?: string; auth?: string; body: string } = { body: '' };
    handler = (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body };
        res.writeHead(201, 'Made', { 'x-request-id': 'abc', 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    };
    const response = await httpFetch()(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: new Headers({ 'Content-Type': 'application/json', Authorization: 'Bearer k' }),
      body: '{"model":"m"}',
    });
    expect(seen).toEqual({ method: 'POST', type: 'application/json', auth: 'Bearer k', body: '{"model":"m"}' });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('streams the body as it arrives (the second chunk is sent only after the first was read)', async () => {
    let sendSecond: () => void = () => {};
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      sendSecond = () => res.end('data: two\n\n');
    };
    const response = await httpFetch()(`${base}/stream`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('data: one\n\n');
    sendSecond();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe('data: two\n\n');
  });

  it('keeps the connection alive between calls', async () => {
    handler = (_req, res) => res.end('x');
    const f = httpFetch();
    for (let i = 0; i < 3; i++) expect(await (await f(`${base}/again`)).text()).toBe('x');
    expect(connections).toBe(1);
  });

  it('an abort before the answer rejects with an AbortError, as fetch does', async () => {
    handler = () => {}; // never answers
    const abort = new AbortController();
    const pending = httpFetch()(`${base}/hang`, { signal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    const error = await rejection(pending);
    expect(error.name).toBe('AbortError');
    // Positive control: an already-aborted signal never sends anything.
    const before = connections;
    const early = await rejection(httpFetch()(`${base}/hang`, { signal: AbortSignal.abort() }));
    expect(early.name).toBe('AbortError');
    expect(connections).toBe(before);
  });

  it('an abort during the body errors the body with an AbortError', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('first');
    };
    const abort = new AbortController();
    const response = await httpFetch()(`${base}/stall`, { signal: abort.signal });
    const reader = response.body!.getReader();
    await reader.read();
    abort.abort();
    expect((await rejection(reader.read())).name).toBe('AbortError');
  });

  it('a connection that ends mid-body errors the body with TypeError("terminated"), as undici does', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await httpFetch()(`${base}/cut`);
    const error = await rejection(response.text());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
  });

  it('a refused connection rejects with a TypeError, as fetch does', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(httpFetch()(`http://127.0.0.1:${port}/`));
    expect(error).toBeInstanceOf(TypeError);
  });

  it('decodes a gzip body', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync('hello, compressed'));
    };
    const response = await httpFetch()(`${base}/gz`);
    expect(await response.text()).toBe('hello, compressed');
    expect(response.headers.get('content-encoding')).toBeNull();
  });
});

// The event-stream reader takes a response's chunks from http-fetch.ts without a web stream (response-body.ts):
// the same chunks, the same endings, and the body read only once.
describe('the event-stream reader on an http-fetch response', () => {
  const event = (content: string) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const contents = async (response: Response) => {
    const seen: string[] = [];
    for await (const chunk of completionChunks(response)) seen.push(chunk.choices[0]?.delta.content ?? '');
    return seen;
  };

  it('reads every chunk as it arrives, then the body counts as used', async () => {
    let sendRest: () => void = () => {};
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event('Ho'));
      sendRest = () => res.end(event('la') + 'data: [DONE]\n\n');
    };
    const response = await httpFetch()(`${base}/v1/chat/completions`);
    const seen: string[] = [];
    for await (const chunk of completionChunks(response)) {
      seen.push(chunk.choices[0]?.delta.content ?? '');
      if (seen.length === 1) sendRest(); // the rest is sent only once the first chunk was read
    }
    expect(seen).toEqual(['Ho', 'la']);
    expect(response.bodyUsed).toBe(true);
    expect((await rejection(response.text())).message).toMatch(/already been read/);
  });

  it('an abort during the body ends the chunks without an error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event('Hola'));
    };
    const abort = new AbortController();
    const response = await httpFetch()(`${base}/v1/chat/completions`, { signal: abort.signal });
    const seen: string[] = [];
    for await (const chunk of completionChunks(response)) {
      seen.push(chunk.choices[0]?.delta.content ?? '');
      abort.abort();
    }
    expect(seen).toEqual(['Hola']);
  });

  it('a connection cut mid-body throws TypeError("terminated")', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': '10000' });
      res.write(event('Hola'));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const error = await rejection(contents(await httpFetch()(`${base}/v1/chat/completions`)));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
  });

  it('leaving early ends the request', async () => {
    let closed!: Promise<void>;
    handler = (req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write(event('a')), 5);
      req.on('close', () => clearInterval(timer));
    };
    const response = await httpFetch()(`${base}/v1/chat/completions`);
    for await (const _first of completionChunks(response)) break;
    await closed; // the server saw the connection go: the test times out otherwise
  });

  it('a body not read by the event-stream reader is still a standard one (text, json, a web stream)', async () => {
    handler = (_req, res) => res.end('{"error":{"message":"nope"}}');
    const f = httpFetch();
    expect(await (await f(`${base}/a`)).json()).toEqual({ error: { message: 'nope' } });
    const viaStream = await f(`${base}/b`);
    expect(await new Response(viaStream.body).text()).toBe('{"error":{"message":"nope"}}');
    const blob = await (await f(`${base}/c`)).blob();
    expect(await blob.text()).toBe('{"error":{"message":"nope"}}');
  });
});
