// The `fetch` the openai SDK is given: one request over `node:http`/`node:https` with keep-alive agents, its
// response handed back as a standard Response whose body streams as the bytes arrive (response-body.ts: the
// event-stream reader takes the chunks without a web stream). Node's built-in fetch
// (undici) walks the whole WHATWG fetch algorithm for every call, which costs several times the HTTP
// exchange itself on a local model (see docs/benchmarks.md); this does only what the SDK needs.
// Kept like fetch: an aborted signal rejects with its reason (an AbortError) before the response and errors
// the body after it; a connection that ends mid-body errors the body with TypeError('terminated'), as undici
// does; gzip/deflate/br bodies are decoded. A request this does not handle (a Request object, a streamed
// or form body) goes to the built-in fetch unchanged.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Fetch } from './budgeted-fetch.ts';
import { BodyChannel, ChannelResponse } from './response-body.ts';

export interface HttpFetchOptions {
  /** Sockets kept per host (default: no limit, as undici's default pool). */
  maxSockets?: number;
}

export function createHttpFetch(options: HttpFetchOptions = {}): Fetch & { close(): void } {
  const agentOptions = { keepAlive: true, scheduling: 'lifo' as const, ...(options.maxSockets ? { maxSockets: options.maxSockets } : {}) };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const httpFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (input instanceof Request || !plainBody) return globalThis.fetch(input, init);
    const url = typeof input === 'string' ? new URL(input) : input;
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return globalThis.fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortReason(signal));

    return new Promise<Response>((resolve, reject) => {
      let responseBody: BodyChannel | undefined; // once the response came
      let settled = false; // the body ended, failed or was cancelled
      const finish = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        finish();
        if (responseBody) responseBody.error(error);
        else reject(error);
      };
      const onAbort = () => {
        fail(abortReason(signal!));
        request.destroy();
      };

      const request = (secure ? https : http).request(url, {
        method: init.method ?? 'GET',
        headers: headerRecord(init.headers),
        agent: secure ? httpsAgent : httpAgent,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => fail(responseBody ? new TypeError('terminated', { cause: error }) : new TypeError('fetch failed', { cause: error })));
      request.on('response', (response) => {
        const headers = new Headers();
        const raw = response.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
        const status = response.statusCode ?? 0;
        const empty = init.method === 'HEAD' || status === 204 || status === 304;
        if (empty) {
          response.resume();
          finish();
          resolve(new Response(null, { status, statusText: response.statusMessage, headers }));
          return;
        }
        const source = decoded(response, headers.get('content-encoding'));
        const channel = new BodyChannel(() => {
          finish();
          request.destroy();
        });
        responseBody = channel;
        source.on('data', (chunk: Buffer) => {
          if (!settled) channel.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        });
        source.on('end', () => {
          if (settled) return;
          finish();
          channel.end();
        });
        source.on('error', (error) => fail(new TypeError('terminated', { cause: error })));
        // The connection closed before the whole body arrived.
        response.on('close', () => {
          if (!response.complete) fail(new TypeError('terminated', { cause: new Error('other side closed') }));
        });
        if (encodingOf(headers.get('content-encoding'))) headers.delete('content-encoding');
        resolve(new ChannelResponse(channel, { status, statusText: response.statusMessage, headers }));
      });
      request.end(body ?? undefined);
    });
  };
  return Object.assign(httpFetch, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => (record[name] = value));
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) record[name!.toLowerCase()] = value!;
  } else {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) record[name.toLowerCase()] = String(value);
  }
  return record;
}

function encodingOf(header: string | null): 'gzip' | 'deflate' | 'br' | undefined {
  const value = header?.trim().toLowerCase();
  return value === 'gzip' || value === 'x-gzip' ? 'gzip' : value === 'deflate' ? 'deflate' : value === 'br' ? 'br' : undefined;
}

function decoded(response: http.IncomingMessage, header: string | null): Readable {
  const encoding = encodingOf(header);
  if (!encoding) return response;
  const decoder = encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : createBrotliDecompress();
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}
