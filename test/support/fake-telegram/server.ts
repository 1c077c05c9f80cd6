// A fake Telegram Bot API server over real HTTP (127.0.0.1, random port) at /bot<token>/<method>.
// It enforces Telegram's limits, answers errors in the Bot API shape, records every call, queues updates
// for getUpdates long polling (or posts them to a webhook), and lets tests inject faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_METHODS } from './bot-methods.ts';
import { readPayload, type Payload } from './request-body.ts';
import { DEFAULT_FAKE_RATE_LIMITS, type FakeRateLimits } from './rate-limits.ts';
import { ChatState, type FakeChat, type FakeUser, type TgMessage } from './state.ts';
import { UpdateBuilders, type TextOptions, type UpdateBody, type VoiceNote } from './update-builders.ts';
import { ApiError } from './validate.ts';
import { FakeWorld } from './world.ts';
import { telegramToken } from '../fake-secrets.ts';

export interface FakeTelegramOptions {
  token?: string;
  botUsername?: string;
  rateLimits?: Partial<FakeRateLimits>;
}

export interface RecordedCall {
  method: string;
  payload: Payload;
  ok: boolean;
  result?: unknown;
  errorCode?: number;
  description?: string;
  at: number;
}

export interface Fault {
  error_code: number;
  description: string;
  retry_after?: number;
}

export type Update = UpdateBody & { update_id: number };

/** A message the bot delivered, as a test wants to look at it. */
export interface DeliveredMessage {
  message_id: number;
  /** Visible text (or caption) after entity parsing. */
  text: string;
  /** What the bot sent (HTML source). */
  source?: string;
  buttons: Array<Array<{ text: string; callback_data?: string }>>;
  message_thread_id?: number;
  reply_to_message_id?: number;
  document?: { filename: string; mimeType: string; bytes: Buffer };
  /** A voice note the bot sent: the Ogg Opus bytes and the duration it declared. */
  voice?: { bytes: Buffer; duration: number };
}

/** Telegram's default when allowed_updates is not given: everything except these. */
const NOT_SENT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

function updateType(update: UpdateBody): string {
  return Object.keys(update).find((key) => key !== 'update_id')!;
}

export class FakeTelegram {
  readonly token: string;
  readonly calls: RecordedCall[] = [];
  readonly world: FakeWorld;
  readonly updates: UpdateBuilders;
  private readonly server = createServer((req, res) => void this.route(req, res));
  private readonly faults = new Map<string, Fault[]>();
  private readonly drops = new Map<string, number>();
  private readonly queue: Update[] = [];
  private nextUpdateId = 100_000;
  private allowedUpdates: Set<string> | undefined;
  private pollWaiters = new Set<() => void>();
  private callWaiters = new Set<() => void>();
  private nextUserId = 10_000;
  private nextGroupId = 1;
  private webhookChain: Promise<void> = Promise.resolve();
  private closed = false;
  port = 0;

  constructor(options: FakeTelegramOptions = {}) {
    this.token = options.token ?? telegramToken('123456789', 'AAFakeTokenForTestsOnly_abcdefgh');
    const bot: FakeUser = { id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Tutor', username: options.botUsername ?? 'tutor_test_bot' };
    this.world = new FakeWorld(bot, { ...DEFAULT_FAKE_RATE_LIMITS, ...options.rateLimits });
    this.updates = new UpdateBuilders(this.world);
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get bot(): FakeUser {
    return this.world.bot;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.pollWaiters) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the world -------------------------------------------------------------------------------------

  user(init: Partial<Omit<FakeUser, 'id' | 'is_bot'>> = {}): FakeUser {
    const id = this.nextUserId++;
    const user: FakeUser = { id, is_bot: false, first_name: init.first_name ?? `User${id}`, ...init };
    this.world.users.set(id, user);
    return user;
  }

  /** Makes `user` an administrator (or the creator) of a group, as getChatMember will report. */
  makeAdmin(chat: FakeChat, user: FakeUser, status: 'creator' | 'administrator' = 'administrator'): void {
    this.chatState(chat).admins.set(user.id, status);
  }

  privateChat(user: FakeUser): FakeChat {
    const chat: FakeChat = { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
    this.world.chats.set(chat.id, new ChatState(chat));
    return chat;
  }

  /** A group; `supergroup: true` for an ordinary (non-forum) supergroup. */
  group(init: { title?: string; supergroup?: boolean } = {}): FakeChat {
    const n = this.nextGroupId++;
    const chat: FakeChat = init.supergroup
      ? { id: -1_001_000_000_000 - n, type: 'supergroup', title: init.title ?? `Supergroup ${n}` }
      : { id: -4_000_000_000 - n, type: 'group', title: init.title ?? `Group ${n}` };
    this.world.chats.set(chat.id, new ChatState(chat));
    return chat;
  }

  /** A forum supergroup; canManageTopics=false models a bot without the right to create topics. */
  forum(init: { title?: string; canManageTopics?: boolean } = {}): FakeChat {
    const n = this.nextGroupId++;
    const chat: FakeChat = { id: -1_002_000_000_000 - n, type: 'supergroup', title: init.title ?? `Forum ${n}`, is_forum: true };
    const state = new ChatState(chat);
    state.canManageTopics = init.canManageTopics ?? true;
    this.world.chats.set(chat.id, state);
    return chat;
  }

  chatState(chat: FakeChat): ChatState {
    return this.world.chat(chat.id);
  }

  /** The user blocks the bot (private) or removes it (group): every send answers 403. */
  block(chat: FakeChat): void {
    this.chatState(chat).blocked = true;
  }

  // ---- updates ---------------------------------------------------------------------------------------

  /** Queues an update for getUpdates (or posts it to the webhook when one is set). */
  pushUpdate(body: UpdateBody): Update {
    const update = { update_id: this.nextUpdateId++, ...body } as Update;
    const webhook = this.world.webhook;
    if (webhook) {
      if (!webhook.allowedUpdates || webhook.allowedUpdates.length === 0 || webhook.allowedUpdates.includes(updateType(update))) {
        this.webhookChain = this.webhookChain.then(() => this.postToWebhook(webhook, update));
      }
      return update;
    }
    this.queue.push(update);
    for (const wake of this.pollWaiters) wake();
    return update;
  }

  sendText(chat: FakeChat, from: FakeUser, text: string, options: TextOptions = {}): TgMessage {
    const { update, message } = this.updates.text(chat, from, text, options);
    this.pushUpdate(update);
    return message;
  }

  /** Presses a button; returns the callback query id (see callbackAnswer). */
  pressButton(chat: FakeChat, from: FakeUser, messageId: number, data: string): string {
    const { update, queryId } = this.updates.press(chat, from, messageId, data);
    this.pushUpdate(update);
    return queryId;
  }

  react(chat: FakeChat, from: FakeUser, messageId: number, emojis: string[]): void {
    this.pushUpdate(this.updates.react(chat, from, messageId, emojis));
  }

  /** A user sends a document, with a caption such as "/import". */
  sendDocument(chat: FakeChat, from: FakeUser, file: { filename: string; bytes: Buffer; mimeType?: string; size?: number }, caption?: string): TgMessage {
    const { update, message } = this.updates.document(chat, from, file, caption);
    this.pushUpdate(update);
    return message;
  }

  /** A user records and sends a voice note (Ogg Opus bytes, duration in whole seconds as the apps report it). */
  sendVoice(chat: FakeChat, from: FakeUser, voice: VoiceNote, options: TextOptions = {}): TgMessage {
    const { update, message } = this.updates.voice(chat, from, voice, options);
    this.pushUpdate(update);
    return message;
  }

  editText(chat: FakeChat, messageId: number, text: string): void {
    this.pushUpdate(this.updates.edit(chat, messageId, text));
  }

  userTopic(chat: FakeChat, from: FakeUser, name: string): number {
    const { update, threadId } = this.updates.userTopic(chat, from, name);
    this.pushUpdate(update);
    return threadId;
  }

  // ---- what the bot did ------------------------------------------------------------------------------

  /** Messages the bot delivered to a chat, oldest first (service messages left out). */
  botMessages(chat: FakeChat): DeliveredMessage[] {
    return [...this.chatState(chat).messages.values()]
      .filter((stored) => stored.fromBot && !stored.message.forum_topic_created)
      .sort((a, b) => a.message.message_id - b.message.message_id)
      .map(({ message, source, document, voice }) => ({
        message_id: message.message_id,
        text: message.text ?? message.caption ?? '',
        ...(source !== undefined ? { source } : {}),
        buttons: message.reply_markup?.inline_keyboard ?? [],
        ...(message.message_thread_id !== undefined ? { message_thread_id: message.message_thread_id } : {}),
        ...(message.reply_to_message ? { reply_to_message_id: message.reply_to_message.message_id } : {}),
        ...(document ? { document } : {}),
        ...(voice && message.voice ? { voice: { bytes: voice.bytes, duration: message.voice.duration } } : {}),
      }));
  }

  callbackAnswer(queryId: string): { answered: boolean; text?: string; show_alert?: boolean } {
    const query = this.world.callbackQueries.get(queryId);
    return { answered: query?.answered ?? false, ...query?.answer };
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Calls the fake answered with an error (429s included). */
  failedCalls(): RecordedCall[] {
    return this.calls.filter((call) => !call.ok);
  }

  failNext(method: string, fault: Fault): void {
    const list = this.faults.get(method) ?? [];
    list.push(fault);
    this.faults.set(method, list);
  }

  /** The next `times` calls of `method` fail at the network level (connection destroyed, no answer). */
  dropNext(method: string, times = 1): void {
    this.drops.set(method, (this.drops.get(method) ?? 0) + times);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  async waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    let found: RecordedCall | undefined;
    await this.waitUntil(() => (found = this.calls.find(predicate)) !== undefined, timeoutMs, 'a matching Bot API call');
    return found!;
  }

  /** Resolves once `condition()` holds (checked after every Bot API call and every 10 ms). */
  async waitUntil(condition: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        const recent = this.calls.slice(-8).map((c) => `${c.method}${c.ok ? '' : ` (${c.errorCode} ${c.description})`}`);
        throw new Error(`fake-telegram: timed out after ${timeoutMs} ms waiting for ${what}; last calls: ${recent.join(', ')}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.callWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 10);
        this.callWaiters.add(wake);
      });
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (download) return this.serveFile(res, download[1]!, decodeURIComponent(download[2]!));
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return this.respond(res, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token) return this.respond(res, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    if (this.drops.get(method)) {
      // A network failure: the connection dies without an answer.
      this.drops.set(method, this.drops.get(method)! - 1);
      this.calls.push({ method, payload: {}, ok: false, errorCode: 0, description: 'connection dropped', at: Date.now() });
      req.socket.destroy();
      return;
    }
    let payload: Payload;
    try {
      payload = await readPayload(req);
    } catch {
      const body = { ok: false, error_code: 400, description: 'Bad Request: invalid request body' };
      this.record(method, {}, body);
      return this.respond(res, body);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let body: Record<string, unknown>;
    try {
      const fault = this.faults.get(method)?.shift();
      if (fault) {
        throw new ApiError(fault.error_code, fault.description, fault.retry_after !== undefined ? { retry_after: fault.retry_after } : undefined);
      }
      const result = method === 'getUpdates' ? await this.getUpdates(payload, abort.signal) : this.callMethod(method, payload);
      body = { ok: true, result };
    } catch (err) {
      body =
        err instanceof ApiError
          ? { ok: false, error_code: err.errorCode, description: err.description, ...(err.parameters ? { parameters: err.parameters } : {}) }
          : { ok: false, error_code: 500, description: `Internal Server Error: ${(err as Error).message}` };
    }
    this.record(method, payload, body);
    this.respond(res, body);
  }

  /** File downloads: GET /file/bot<token>/<file_path>, as Telegram serves them. */
  private serveFile(res: ServerResponse, token: string, filePath: string): void {
    const file = token === this.token ? [...this.world.files.values()].find((f) => f.filePath === filePath) : undefined;
    this.calls.push({ method: 'downloadFile', payload: { file_path: filePath }, ok: file !== undefined, at: Date.now() });
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length }).end(file.bytes);
  }

  private callMethod(method: string, payload: Payload): unknown {
    const handler = BOT_METHODS[method];
    if (!handler) throw new ApiError(404, 'Not Found: method not found');
    return handler(this.world, payload);
  }

  private record(method: string, payload: Payload, body: Record<string, unknown>): void {
    this.calls.push({
      method,
      payload,
      ok: body.ok === true,
      ...(body.ok === true ? { result: body.result } : { errorCode: body.error_code as number, description: body.description as string }),
      at: Date.now(),
    });
    for (const check of [...this.callWaiters]) check();
  }

  private respond(res: ServerResponse, body: Record<string, unknown>): void {
    if (res.writableEnded || res.destroyed) return;
    const status = body.ok === true ? 200 : (body.error_code as number);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /** Long polling: confirms updates below `offset`, returns queued ones at once or waits up to `timeout` s. */
  private async getUpdates(payload: Payload, signal: AbortSignal): Promise<Update[]> {
    if (this.world.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    if (Array.isArray(payload.allowed_updates)) {
      this.allowedUpdates = payload.allowed_updates.length > 0 ? new Set(payload.allowed_updates as string[]) : undefined;
    }
    const offset = Number(payload.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100)));
    const timeoutMs = Math.max(0, Number(payload.timeout ?? 0)) * 1000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Confirmed and not-asked-for updates are gone for good, as on Telegram's side.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const update = this.queue[i]!;
        if ((offset > 0 && update.update_id < offset) || !this.isAllowed(update)) this.queue.splice(i, 1);
      }
      if (this.queue.length > 0 || this.closed || signal.aborted || Date.now() >= deadline) return this.queue.slice(0, limit);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.pollWaiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, deadline - Date.now());
        this.pollWaiters.add(wake);
        signal.addEventListener('abort', wake);
      });
      if (this.closed || signal.aborted) return [];
    }
  }

  private isAllowed(update: Update): boolean {
    const type = updateType(update);
    return this.allowedUpdates ? this.allowedUpdates.has(type) : !NOT_SENT_BY_DEFAULT.has(type);
  }

  private async postToWebhook(webhook: NonNullable<FakeWorld['webhook']>, update: Update): Promise<void> {
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secretToken ? { 'x-telegram-bot-api-secret-token': webhook.secretToken } : {}),
        },
        body: JSON.stringify(update),
      });
      this.webhookResponses.push(response.status);
    } catch {
      this.webhookResponses.push(0);
    }
  }

  /** HTTP statuses of webhook deliveries (0 = connection failed). */
  readonly webhookResponses: number[] = [];
}

export async function createFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  return new FakeTelegram(options).listen();
}
