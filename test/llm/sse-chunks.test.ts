// The chunks of a streamed completion as src/core/llm/sse-chunks.ts reads them must be the ones the openai SDK's
// own Stream reads from the same bytes, however the network cuts them, and fail or end the way it does.
import { APIError } from 'openai';
import { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import { completionChunks } from '../../src/core/llm/sse-chunks.ts';

const encoder = new TextEncoder();

/** A Response whose body delivers `text` in pieces cut at the given byte offsets. */
function responseOf(text: string, cuts: number[] = []): Response {
  const bytes = encoder.encode(text);
  const edges = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= edges.length - 1) return controller.close();
      controller.enqueue(bytes.slice(edges[i], edges[i + 1]));
      i++;
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

async function ours(response: Response): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of completionChunks(response)) chunks.push(chunk);
  return chunks;
}

async function sdks(response: Response): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of Stream.fromSSEResponse(response, new AbortController())) chunks.push(chunk);
  return chunks;
}

const chunk = (content: string, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'fake-model',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
  ...extra,
});

// What servers send: multi-byte text, CRLF line ends, comments, a usage chunk, then [DONE] and something after it.
const STREAM = [
  ': keep-alive\n\n',
  `data: ${JSON.stringify(chunk('{"cards":[{"front":"el cuchillo'))}\n\n`,
  `data: ${JSON.stringify(chunk('","back":"the knife — ñandú, 日本語, 🍳"}'))}\r\n\r\n`,
  `event: message\ndata: ${JSON.stringify(chunk(']}'))}\n\n`,
  `data: ${JSON.stringify({ ...chunk(''), choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } })}\n\n`,
  'data: [DONE]\n\n',
  `data: ${JSON.stringify(chunk('after done'))}\n\n`,
].join('');

describe('completionChunks', () => {
  it('reads the same chunks as the SDK, cut anywhere (inside a line, a character of several bytes, a CRLF)', async () => {
    const length = encoder.encode(STREAM).length;
    const expected = await sdks(responseOf(STREAM));
    expect(expected).toHaveLength(4);
    expect(await ours(responseOf(STREAM))).toEqual(expected);
    // Every single cut, then 200 random sets of cuts (seeded, so a failure repeats).
    for (let at = 1; at < length; at++) expect(await ours(responseOf(STREAM, [at]))).toEqual(expected);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 30) }, () => Math.floor(random() * length));
      expect(await ours(responseOf(STREAM, cuts))).toEqual(expected);
    }
  });

  it('an event carrying an error throws the SDK’s APIError, as the SDK does', async () => {
    const text = `data: ${JSON.stringify(chunk('Hola'))}\n\ndata: ${JSON.stringify({ error: { message: 'model overloaded', type: 'server_error' } })}\n\n`;
    const theirs = await sdks(responseOf(text)).catch((error: unknown) => error);
    const mine = await ours(responseOf(text)).catch((error: unknown) => error);
    expect(mine).toBeInstanceOf(APIError);
    expect(theirs).toBeInstanceOf(APIError);
    expect((mine as APIError).message).toBe((theirs as APIError).message);
  });

  it('data that is not JSON throws a SyntaxError', async () => {
    await expect(ours(responseOf('data: {"choices": [oops\n\n'))).rejects.toBeInstanceOf(SyntaxError);
  });

  it('an aborted body ends the chunks without an error; leaving early cancels the body', async () => {
    let sent = false;
    const aborted = new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (!sent) {
            sent = true;
            return controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk('Hola'))}\n\n`));
          }
          controller.error(new DOMException('This operation was aborted', 'AbortError'));
        },
      }),
    );
    expect(await ours(aborted)).toHaveLength(1);

    // A stream that never ends, as a model still writing: leaving after the first chunk must cancel it.
    let cancelled = false;
    const endless = new Response(
      new ReadableStream<Uint8Array>({
        pull: (controller) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk('a'))}\n\n`)),
        cancel: () => void (cancelled = true),
      }),
    );
    for await (const _first of completionChunks(endless)) break;
    expect(cancelled).toBe(true);
  });
});
