// A gateway v10 (JSON, no compression) on a ws server: HELLO, heartbeat ACK, IDENTIFY → READY + GUILD_CREATE,
// then whatever dispatches the test sends, filtered by the intents the bot identified with.
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { INTENTS, userJson, type Json } from './model.ts';
import type { World } from './world.ts';

const HEARTBEAT_INTERVAL = 41_250;

interface Session {
  socket: WebSocket;
  sequence: number;
  intents?: number;
  identified: boolean;
}

export class FakeGateway {
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly readyWaiters: Array<() => void> = [];
  /** Intents of the last IDENTIFY. */
  intents: number | undefined;
  identifyCount = 0;

  constructor(
    http: Server,
    private readonly world: World,
    private readonly token: string,
    private readonly url: () => string,
  ) {
    this.server = new WebSocketServer({ server: http });
    this.server.on('connection', (socket) => this.accept(socket));
  }

  private accept(socket: WebSocket): void {
    const session: Session = { socket, sequence: 0, identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) => this.receive(session, String(raw)));
    this.send(session, { op: 10, d: { heartbeat_interval: HEARTBEAT_INTERVAL }, s: null, t: null });
  }

  private receive(session: Session, raw: string): void {
    let payload: { op: number; d: unknown };
    try {
      payload = JSON.parse(raw) as { op: number; d: unknown };
    } catch {
      session.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case 1:
        this.send(session, { op: 11, d: null, s: null, t: null });
        return;
      case 2:
        this.identify(session, payload.d as { token: string; intents: number });
        return;
      case 6:
        // Sessions are not resumable here: ask for a fresh IDENTIFY.
        this.send(session, { op: 9, d: false, s: null, t: null });
        return;
      default:
        return;
    }
  }

  private identify(session: Session, d: { token: string; intents: number }): void {
    if (d.token !== this.token) {
      session.socket.close(4004, 'Authentication failed.');
      return;
    }
    session.identified = true;
    session.intents = d.intents;
    this.intents = d.intents;
    this.identifyCount++;
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: { ...userJson(this.world.bot), verified: true, mfa_enabled: false, flags: 0 },
      guilds: [{ id: this.world.guildId, unavailable: true }],
      session_id: `session-${this.identifyCount}`,
      resume_gateway_url: this.url(),
      shard: [0, 1],
      application: { id: this.world.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
    });
    this.dispatchTo(session, 'GUILD_CREATE', this.world.guildCreateJson());
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  /** Resolves once a client has identified (immediately if one already has). */
  identified(): Promise<void> {
    if ([...this.sessions].some((s) => s.identified)) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends a dispatch to every identified session whose intents allow it. Returns how many received it. */
  dispatch(event: string, data: Json): number {
    let delivered = 0;
    for (const session of this.sessions) {
      if (!session.identified || !this.allowed(session.intents ?? 0, event, data)) continue;
      this.dispatchTo(session, event, this.redact(session.intents ?? 0, event, data));
      delivered++;
    }
    return delivered;
  }

  private allowed(intents: number, event: string, data: Json): boolean {
    const inGuild = typeof data.guild_id === 'string';
    if (event.startsWith('MESSAGE_REACTION_')) return !!(intents & (inGuild ? INTENTS.GUILD_MESSAGE_REACTIONS : INTENTS.DIRECT_MESSAGE_REACTIONS));
    if (event.startsWith('MESSAGE_')) return !!(intents & (inGuild ? INTENTS.GUILD_MESSAGES : INTENTS.DIRECT_MESSAGES));
    if (event.startsWith('GUILD_') || event.startsWith('THREAD_') || event.startsWith('CHANNEL_')) return !!(intents & INTENTS.GUILDS);
    return true;
  }

  /** Without MESSAGE_CONTENT, guild messages arrive empty unless they mention the bot (or are the bot's). */
  private redact(intents: number, event: string, data: Json): Json {
    if ((event !== 'MESSAGE_CREATE' && event !== 'MESSAGE_UPDATE') || intents & INTENTS.MESSAGE_CONTENT) return data;
    if (typeof data.guild_id !== 'string') return data;
    const author = data.author as { id?: string } | undefined;
    const mentions = (data.mentions as Array<{ id: string }> | undefined) ?? [];
    if (author?.id === this.world.bot.id || mentions.some((m) => m.id === this.world.bot.id)) return data;
    return { ...data, content: '', embeds: [], attachments: [], components: [] };
  }

  private dispatchTo(session: Session, event: string, data: Json): void {
    session.sequence++;
    this.send(session, { op: 0, d: data, s: session.sequence, t: event });
  }

  private send(session: Session, payload: Json): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
