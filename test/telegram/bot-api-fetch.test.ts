// The transport grammY's calls take (src/bots/telegram/bot-api-fetch.ts), through grammY's own Api client against
// a local HTTP server: what reaches the server, what comes back, and how failures surface (grammY's HttpError,
// never a hang). The adapter's suites run every Bot API call of the product over it against the fake Bot API
// and the independent emulator; multipart uploads (sendVoice) in voice.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, HttpError, InputFile } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBotApiFetch } from '../../src/bots/telegram/bot-api-fetch.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The client's port: the same for requests over one kept-alive connection. */
  clientPort: number | undefined;
}

let server: Server;
let apiRoot: string;
let received: Received[] = [];
let answer: (req: Received, res: ServerResponse) => void = (_req, res) => res.end(JSON.stringify({ ok: true, result: true }));
const botApiFetch = createBotApiFetch();
const TOKEN = '123456:TEST-token';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), clientPort: req.socket.remotePort };
      received.push(seen);
      answer(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  received = [];
  answer = (_req, res) => res.end(JSON.stringify({ ok: true, result: true }));
});
afterAll(async () => {
  botApiFetch.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const api = (timeoutSeconds = 10) => new Api(TOKEN, { apiRoot, fetch: botApiFetch as never, timeoutSeconds });

describe('the Bot API transport under grammY', () => {
  it('posts the JSON payload with its length and hands back the parsed result (multi-byte text, split reads)', async () => {
    const text = 'Ñandú 🦤 — ' + 'la cebolla '.repeat(400);
    answer = (req, res) => {
      const body = Buffer.from(JSON.stringify({ ok: true, result: { message_id: 7, text: (JSON.parse(req.body.toString()) as { text: string }).text } }));
      const cut = body.indexOf('Ñ') + 1; // inside the two bytes of 'Ñ'
      res.write(body.subarray(0, cut));
      setTimeout(() => res.end(body.subarray(cut)), 5);
    };
    const sent = await api().sendMessage(42, text);
    expect(sent).toEqual({ message_id: 7, text });
    const [req] = received;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(Number(req!.headers['content-length'])).toBe(req!.body.length);
    expect(req!.headers['transfer-encoding']).toBeUndefined();
    expect(req!.headers['accept-encoding']).toBeUndefined(); // Telegram answers uncompressed
    expect(JSON.parse(req!.body.toString())).toEqual({ chat_id: 42, text });
  });

  it('streams a multipart upload and reuses the kept-alive connection', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    await api().sendVoice(42, new InputFile(bytes, 'clip.ogg'));
    await api().sendChatAction(42, 'typing');
    const [upload, next] = received;
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload!.body.includes(bytes)).toBe(true);
    expect(upload!.body.includes('filename=clip.ogg')).toBe(true);
    expect(next!.url).toBe(`/bot${TOKEN}/sendChatAction`);
    expect(next!.clientPort).toBe(upload!.clientPort);
  });

  it("returns Telegram's refusal as grammY's GrammyError, with its description", async () => {
    answer = (_req, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
    };
    await expect(api().sendMessage(1, 'x')).rejects.toMatchObject({ name: 'GrammyError', error_code: 400, description: 'Bad Request: chat not found' });
  });

  it('rejects with an HttpError, not a hang, when the answer is not JSON, is cut off, or never comes', async () => {
    answer = (_req, res) => res.end('<html>502 Bad Gateway</html>');
    await expect(api().sendMessage(1, 'x')).rejects.toBeInstanceOf(HttpError);

    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"ok":true,');
      setTimeout(() => res.socket?.destroy(), 5);
    };
    await expect(api().sendMessage(1, 'x')).rejects.toBeInstanceOf(HttpError);

    answer = () => undefined; // grammY's own timeout aborts the request
    const started = Date.now();
    await expect(api(1).sendMessage(1, 'x')).rejects.toBeInstanceOf(HttpError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects at once when the caller aborts, before or during the request', async () => {
    const before = new AbortController();
    before.abort();
    await expect(botApiFetch(`${apiRoot}/bot${TOKEN}/getMe`, { method: 'POST', signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });

    answer = () => undefined;
    const during = new AbortController();
    const pending = botApiFetch(`${apiRoot}/bot${TOKEN}/getUpdates`, { method: 'POST', body: '{}', signal: during.signal });
    setTimeout(() => during.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects when nothing listens (a network error grammY calls transient)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await new Api(TOKEN, { apiRoot: `http://127.0.0.1:${port}`, fetch: botApiFetch as never }).getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(String((error as Error).message)).not.toContain(TOKEN.split(':')[1]); // the token stays out of the message
  });
});
