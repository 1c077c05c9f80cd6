// The `fetch` grammY is given for its Bot API calls: one request over `node:http`/`node:https` with keep-alive
// agents, the response read whole and handed back as an object whose `json()` parses it, which is all grammY's
// client uses of a response. Its default on Node, node-fetch, builds a Request, Headers, a Body and piped
// streams for every call: ~29 KB of garbage per call, 15 % of all the bytes the bot allocated under the
// Telegram load; this allocates about half (most of it node:http's own request): fewer young collections
// (docs/benchmarks.md, eighth pass).
// Kept like node-fetch for grammY: a JSON body (a string) or a multipart upload (a stream, piped as it is
// read); an aborted signal (grammY's timeout, the runner stopping) destroys the request and rejects; a network
// error or a body that is not JSON rejects, which grammY turns into its HttpError. No Accept-Encoding is sent,
// so Telegram answers uncompressed; no redirect is followed (the Bot API sends none).
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** What grammY passes to `fetch` (payload.ts's JSON and multipart configs, plus its signal). */
interface BotApiRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Readable;
  /** grammY's AbortSignal (the abort-controller package's, or Node's): only these members are used. */
  signal?: { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void; removeEventListener(type: 'abort', listener: () => void): void };
}

export interface BotApiResponse {
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}

export type BotApiFetch = ((url: string, init?: BotApiRequestInit) => Promise<BotApiResponse>) & { close(): void };

export function createBotApiFetch(): BotApiFetch {
  const agentOptions = { keepAlive: true, scheduling: 'lifo' as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const botApiFetch = (input: string, init: BotApiRequestInit = {}): Promise<BotApiResponse> => {
    const url = new URL(input);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
    const { body, signal } = init;
    if (signal?.aborted) return Promise.reject(abortError());
    const headers: Record<string, string | number> = { ...init.headers };
    if (typeof body === 'string') headers['content-length'] = Buffer.byteLength(body);

    return new Promise<BotApiResponse>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (error: Error) => settle(() => reject(error));
      const onAbort = () => {
        fail(abortError());
        request.destroy();
      };

      const request = (secure ? https : http).request(url, { method: init.method ?? 'GET', headers, agent: secure ? httpsAgent : httpAgent });
      signal?.addEventListener('abort', onAbort);
      request.on('error', (error) => fail(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => fail(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
        response.on('aborted', () => fail(new TypeError('fetch failed: the connection closed before the response ended')));
        response.on('end', () => {
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          settle(() => resolve({ status, ok: status >= 200 && status < 300, json: async () => JSON.parse(text) as unknown }));
        });
      });

      if (body instanceof Readable) {
        // A multipart upload: grammY aborts the signal when its parts fail; a failing stream ends the request too.
        body.on('error', (error) => {
          fail(new TypeError(`fetch failed: the request body failed: ${error.message}`, { cause: error }));
          request.destroy();
        });
        body.pipe(request);
      } else {
        request.end(body);
      }
    });
  };

  return Object.assign(botApiFetch, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

function abortError(): Error {
  const error = new Error('The request was aborted');
  error.name = 'AbortError';
  return error;
}
