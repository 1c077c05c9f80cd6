// The body of a response from http-fetch.ts, handed over without a web stream. A web ReadableStream, its
// controller and a Uint8Array per network read cost more than reading the reply itself on a local model (Node 20
// makes every new ReadableStream transferable, and each read goes through the WHATWG stream machinery: with
// undici's Response and Headers, 3–5 % of the bot's busy time per command; docs/benchmarks.md, eleventh pass).
// The event-stream reader (sse-chunks.ts) takes the chunks straight from here with the same read()/cancel()
// contract as a stream reader; anything else that reads the response (`body`, `text()`, `json()`,
// `arrayBuffer()`, `blob()`) gets what a Response gives, a web stream being built only for `body`.

/** One read of a body, as a web stream's reader gives it. */
export type ReadResult = { done: false; value: Uint8Array } | { done: true; value?: Uint8Array | undefined };

/** What both a web stream's reader and a BodyChannel offer: the part sse-chunks.ts uses. */
export interface BodyReader {
  read(): Promise<ReadResult>;
  cancel(): Promise<void>;
}

/**
 * The chunks of one response body as they arrive, for one reader. Fed by the node:http response (push, end,
 * error); cancel() is called by the reader that stops early, and runs `onCancel` (which ends the request).
 */
export class BodyChannel implements BodyReader {
  private readonly chunks: Uint8Array[] = [];
  private waiting: { resolve: (result: ReadResult) => void; reject: (error: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  /** A reader took it directly (sse-chunks.ts, text()…): a body is read once. */
  taken = false;

  constructor(private readonly onCancel: () => void) {}

  push(chunk: Uint8Array): void {
    if (this.ended || this.failure) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting.resolve({ done: false, value: chunk });
    } else {
      this.chunks.push(chunk);
    }
  }

  end(): void {
    if (this.ended || this.failure) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ done: true, value: undefined });
  }

  /** The body failed (an abort, a connection cut): the next read rejects with `error`, as a stream's does. */
  error(error: unknown): void {
    if (this.ended || this.failure) return;
    this.failure = { error };
    this.chunks.length = 0;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  read(): Promise<ReadResult> {
    if (this.chunks.length > 0) return Promise.resolve({ done: false, value: this.chunks.shift()! });
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  cancel(): Promise<void> {
    if (!this.ended && !this.failure) {
      this.ended = true;
      this.chunks.length = 0;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.resolve({ done: true, value: undefined });
      this.onCancel();
    }
    return Promise.resolve();
  }

  /** The same chunks as a web stream, for a reader that wants one. */
  toWebStream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const { done, value } = await this.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: () => this.cancel(),
    });
  }
}

/** A Response whose body is a BodyChannel: a standard Response to every reader but sse-chunks.ts. */
export class ChannelResponse extends Response {
  readonly #channel: BodyChannel;
  #web: ReadableStream<Uint8Array> | undefined;

  constructor(channel: BodyChannel, init: ResponseInit) {
    super(null, init);
    this.#channel = channel;
  }

  /** `body` (wired below). */
  webBody(): ReadableStream<Uint8Array> {
    if (!this.#web) {
      const usedUp = this.#channel.taken; // read directly already: the web stream has nothing left to give
      this.#web = usedUp ? new ReadableStream({ start: (controller) => controller.error(bodyUnusable()) }) : this.#channel.toWebStream();
    }
    return this.#web;
  }

  /** `bodyUsed`, wired below. */
  used(): boolean {
    return this.#channel.taken || (this.#web?.locked ?? false);
  }

  /** The whole body (`arrayBuffer()`, `text()`, `json()` and `blob()` read it). */
  async readAll(): Promise<Uint8Array> {
    const reader = this.takeReader();
    const parts: Uint8Array[] = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parts.push(chunk.value);
    return Buffer.concat(parts);
  }

  /** The body's chunks for one reader: the channel itself unless a web stream was made of it already. */
  takeReader(): BodyReader {
    if (this.#web) return this.#web.getReader();
    if (this.#channel.taken) throw bodyUnusable();
    this.#channel.taken = true;
    return this.#channel;
  }
}

// Response's own members, answered from the channel (the DOM types declare them properties, so a class
// cannot override them with methods or getters).
Object.defineProperties(ChannelResponse.prototype, {
  body: {
    get(this: ChannelResponse) {
      return this.webBody();
    },
  },
  bodyUsed: {
    get(this: ChannelResponse) {
      return this.used();
    },
  },
  arrayBuffer: {
    async value(this: ChannelResponse) {
      const whole = await this.readAll();
      return whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength);
    },
  },
  text: {
    async value(this: ChannelResponse) {
      return new TextDecoder().decode(await this.readAll());
    },
  },
  json: {
    async value(this: ChannelResponse) {
      return JSON.parse(await this.text()) as unknown;
    },
  },
  blob: {
    async value(this: ChannelResponse) {
      return new Blob([await this.readAll()], { type: this.headers.get('content-type') ?? '' });
    },
  },
  formData: {
    value() {
      return Promise.reject(new TypeError('formData() is not supported on a model response'));
    },
  },
  clone: {
    value() {
      throw new TypeError('a model response cannot be cloned');
    },
  },
});

/** What a Response's readers throw for a body read already (undici's words). */
function bodyUnusable(): TypeError {
  return new TypeError('Body is unusable: Body has already been read');
}

/** A reader of a response's body: without a web stream when http-fetch.ts made the response. */
export function bodyReaderOf(response: Response): BodyReader | undefined {
  if (response instanceof ChannelResponse) return response.takeReader();
  return response.body?.getReader();
}
