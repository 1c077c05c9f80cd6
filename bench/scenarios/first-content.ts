// Item 13.4: time to first visible content. A fake model that writes at 40 tokens/s (and one that sends the
// response headers, then thinks 1 s before the first token), the real core, and each adapter end to end:
// the terminal (in process, its output watched) and Telegram (the real adapter over HTTP against the fake
// Bot API: drafts in a private chat, an edited message in a group). Per run: "typing…"/"…" after the update,
// the first card / the first words of a role-play line on screen, and the final message, each measured from
// the moment the update was handed over; the reference is the model's full generation time in the same run
// (request received → last token sent). Targets (issue 13): first card ≤ 25 % of the generation of a set of
// 8; first line ≤ 1.2 s for a role-play reply whose generation takes 3 s; typing ≤ 300 ms.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createConsoleAdapter } from '../../src/bots/console/adapter.ts';
import { createTelegramAdapter } from '../../src/bots/telegram/index.ts';
import { createDiscordAdapter } from '../../src/bots/discord/index.ts';
import { FakeDiscord } from '../../test/support/fake-discord/index.ts';
import type { TutorFrontDoor } from '../../src/commands/front-door.ts';
import { createFakeTelegram, type FakeTelegram } from '../../test/support/fake-telegram/index.ts';
import { fakeTokenCount, type FakeOpenAI, type FakeOpenAIRequest } from '../../test/support/fake-openai.ts';
import { tutorContent } from '../../test/support/tutor-responder.ts';
import { sampleFromSchema } from '../../test/support/fake-openai/sample-from-schema.ts';
import { benchCore, startFakeTutorLlm } from '../support/core.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { figure, type Figure, type Scenario, type ScenarioContext } from '../types.ts';

const TOKENS_PER_SECOND = 40;
const ROLE_PLAY_SECONDS = 3;
const LIMIT_MS = 30_000;

/** A role-play line of about 3 s at 40 tokens/s (a real tutor's reply is a few sentences, not five words). */
const LONG_REPLY =
  'Muy bien. Aquí tiene su pan, recién hecho esta mañana. ¿Quiere algo más? Hoy tenemos croissants, magdalenas y una tarta de manzana muy rica. ' +
  'Si prefiere algo salado, las empanadas de atún también están recién salidas del horno.';

interface Timing {
  typingMs: number;
  firstMs: number;
  finalMs: number;
  generationMs: number;
}

/** One command as a learner sends it, through one adapter. */
interface Surface {
  name: string;
  /** Discord streams slash commands only (a role-play line is a channel message there, sent when complete). */
  flashcardsOnly?: boolean;
  /** Sends `text`; resolves with the times (ms after sending) of typing, of `first(visible)` and of the final message. */
  send(text: string, first: (visible: string) => boolean): Promise<{ typingMs: number; firstMs: number; finalMs: number }>;
  close(): Promise<void>;
}

/** Records when the model received the request and sent its last token. */
function generationClock(llm: FakeOpenAI, pacing: { firstTokenDelayMs: number; tokensPerSecond: (content: string) => number }) {
  let requestAt = 0;
  let lastTokenAt = 0;
  let tps = TOKENS_PER_SECOND;
  llm.respondWith((req: FakeOpenAIRequest) => {
    requestAt = performance.now();
    const content = req.schemaName === 'simulation_turn' ? { ...(tutorContent(req) as object), reply: LONG_REPLY } : (tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {}));
    tps = pacing.tokensPerSecond(JSON.stringify(content));
    llm.setStreaming({ tokensPerSecond: tps, firstTokenDelayMs: pacing.firstTokenDelayMs, beforeChunk: () => void (lastTokenAt = performance.now()) });
    return content;
  });
  return { generationMs: () => lastTokenAt + 1000 / tps - requestAt };
}

async function terminalSurface(frontDoor: TutorFrontDoor): Promise<Surface> {
  const input = new PassThrough();
  let out = '';
  const listeners = new Set<() => void>();
  const output = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      for (const listener of [...listeners]) listener();
      done();
    },
  });
  const adapter = createConsoleAdapter({ frontDoor, logger: silentLogger(), input, output, filesDir: mkdtempSync(join(tmpdir(), 'bench-ttfc-')), userName: 'bench' });
  await adapter.start();
  const until = (ready: () => boolean) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('terminal: no answer in time')), LIMIT_MS);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(performance.now());
      };
      listeners.add(check);
      check();
    });
  return {
    name: 'terminal',
    async send(text, first) {
      const from = out.length;
      const t0 = performance.now();
      input.write(`${text}\n`);
      const typing = until(() => out.slice(from).includes('…'));
      const visible = until(() => first(out.slice(from)));
      // The final form ends with its numbered choices (or, for a turn, the corrections).
      const final = until(() => /Type the number of your choice|Corrections/.test(out.slice(from)));
      const [a, b, c] = await Promise.all([typing, visible, final]);
      return { typingMs: a - t0, firstMs: b - t0, finalMs: c - t0 };
    },
    async close() {
      input.end();
      await adapter.stop();
    },
  };
}

async function telegramSurface(frontDoor: TutorFrontDoor, kind: 'private' | 'group'): Promise<Surface> {
  const fake: FakeTelegram = await createFakeTelegram();
  fake.world.editIntervalMs = 1000;
  const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, frontDoor, logger: silentLogger(), pollTimeoutSeconds: 1, stopTimeoutMs: 3000 });
  await adapter.start();
  const user = fake.user({ first_name: 'Ana', language_code: 'en' });
  let chat = kind === 'private' ? fake.privateChat(user) : fake.group();
  /** What the learner sees: drafts, progress messages and edits, in order of arrival, with their times. */
  const seen = (since: number) =>
    fake.calls.slice(since).filter((c) => c.ok && c.payload.chat_id === chat.id && ['sendMessageDraft', 'sendMessage', 'editMessageText'].includes(c.method));
  return {
    name: kind === 'private' ? 'telegram private (drafts)' : 'telegram group (edits)',
    async send(text, first) {
      // Each group command (and its role-play) in a group of its own: Telegram's 20 messages per minute per group,
      // which the adapter's throttle keeps to, would otherwise make one measurement wait for the ones before it.
      if (kind === 'group' && text.startsWith('/flashcards')) chat = fake.group();
      if (kind === 'group' && text.startsWith('/simulate')) chat = fake.group();
      const since = fake.calls.length;
      const t0 = Date.now();
      // In a group a role-play line is addressed to the bot by mentioning it.
      fake.sendText(chat, user, kind === 'group' && !text.startsWith('/') ? `@${fake.bot.username} ${text}` : text);
      await fake.waitUntil(() => seen(since).some((c) => c.payload.reply_markup !== undefined || String(c.payload.text).includes('Corrections')), LIMIT_MS, 'the final message');
      const typing = fake.calls.slice(since).find((c) => c.method === 'sendChatAction' && c.payload.chat_id === chat.id);
      const shown = seen(since);
      const visible = shown.find((c) => first(String(c.payload.text)));
      const final = shown.find((c) => c.payload.reply_markup !== undefined || String(c.payload.text).includes('Corrections'))!;
      return { typingMs: (typing?.at ?? Number.NaN) - t0, firstMs: (visible?.at ?? Number.NaN) - t0, finalMs: final.at - t0 };
    },
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}

async function discordSurface(frontDoor: TutorFrontDoor): Promise<Surface> {
  const fake = await FakeDiscord.start();
  fake.world.editIntervalMs = 1500;
  const adapter = createDiscordAdapter({ token: fake.token, apiBaseUrl: fake.apiBase, frontDoor, logger: silentLogger(), messageContentIntent: true });
  await adapter.start();
  const user = fake.addUser('ana', { globalName: 'Ana' });
  const edits = (since: number) => fake.calls.slice(since).filter((c) => c.method === 'PATCH' && /\/messages\/(@|%40)original$/.test(c.path) && c.status === 200);
  return {
    name: 'discord (deferred reply edited)',
    flashcardsOnly: true,
    async send(text, first) {
      const [name, ...words] = text.slice(1).split(' ');
      const options: Record<string, string | number> = {};
      const topic: string[] = [];
      for (const word of words) {
        const [key, value] = word.split(':');
        if (value !== undefined) options[key!] = /^\d+$/.test(value) ? Number(value) : value;
        else topic.push(word);
      }
      if (topic.length) options.topic = topic.join(' ');
      const since = fake.calls.length;
      const t0 = Date.now();
      fake.slashCommand({ name: name!, options, user });
      const final = await fake.waitFor(() => edits(since).find((c) => ((c.body as { components?: unknown[] }).components ?? []).length > 0 || name !== 'flashcards'), LIMIT_MS, 'the final reply');
      const defer = fake.calls.slice(since).find((c) => c.method === 'POST' && c.path.endsWith('/callback'));
      const visible = edits(since).find((c) => first(JSON.stringify(c.body)));
      return { typingMs: (defer?.at ?? Number.NaN) - t0, firstMs: (visible?.at ?? Number.NaN) - t0, finalMs: final.at - t0 };
    },
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}

async function measure(surface: Surface, llm: FakeOpenAI, firstTokenDelayMs: number): Promise<{ cards: Timing; turn?: Timing }> {
  const instant = () => {
    llm.respondWith((req) => tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {}));
    llm.setStreaming({});
  };
  instant();
  await surface.send('/settings lang:es base:en level:A2', () => true).catch(() => undefined);
  const cardsClock = generationClock(llm, { firstTokenDelayMs, tokensPerSecond: () => TOKENS_PER_SECOND });
  const cards = await surface.send('/flashcards kitchen words count:8', (visible) => visible.includes('el cuchillo'));
  const cardsGeneration = cardsClock.generationMs();
  instant();
  if (surface.flashcardsOnly) return { cards: { ...cards, generationMs: cardsGeneration } };
  await surface.send('/simulate ordering at a bakery', () => true);
  // The whole reply, from the request to its last token, takes 3 s (with the 1 s think: 2 s of tokens).
  const turnClock = generationClock(llm, { firstTokenDelayMs, tokensPerSecond: (content) => fakeTokenCount(content) / (ROLE_PLAY_SECONDS - firstTokenDelayMs / 1000) });
  // Visible: the first letters of the tutor's line on screen (it grows from there).
  const turn = await surface.send('Hola, quiero pan', (visible) => /Panadero: \S/.test(visible));
  const turnGeneration = turnClock.generationMs();
  await surface.send('/end', () => true).catch(() => undefined);
  instant();
  return { cards: { ...cards, generationMs: cardsGeneration }, turn: { ...turn, generationMs: turnGeneration } };
}

function figuresFor(where: string, variant: string, r: { cards: Timing; turn?: Timing }): Figure[] {
  const label = `${where}, ${variant}`;
  const figures = [
    figure({
      name: `first card of 8 visible (${label})`,
      value: r.cards.firstMs,
      unit: 'ms',
      reference: { name: 'full generation of the set', value: r.cards.generationMs },
      target: '≤ 25 % of the full generation',
      met: r.cards.firstMs <= 0.25 * r.cards.generationMs,
      note: `final message at ${Math.round(r.cards.finalMs)} ms`,
    }),
  ];
  if (r.turn) {
    figures.push(
      figure({
        name: `role-play line visible (${label})`,
        value: r.turn.firstMs,
        unit: 'ms',
        reference: { name: 'full generation of the turn (3 s)', value: r.turn.generationMs },
        target: '≤ 1200 ms',
        met: r.turn.firstMs <= 1200,
        note: `final message with corrections at ${Math.round(r.turn.finalMs)} ms`,
      }),
    );
  }
  const typingMs = Math.max(r.cards.typingMs, r.turn?.typingMs ?? 0);
  figures.push(
    figure({
      name: `typing shown (${label})`,
      value: typingMs,
      unit: 'ms',
      target: '≤ 300 ms',
      met: typingMs <= 300,
      note: r.turn ? 'the slower of the two commands' : 'the deferred reply ("thinking…")',
    }),
  );
  return figures;
}

export const firstContent: Scenario = {
  id: 'first-content',
  title: 'Time to first visible content (streamed replies)',
  async run(ctx: ScenarioContext): Promise<Figure[]> {
    const llm = await startFakeTutorLlm();
    const figures: Figure[] = [];
    try {
      for (const [variant, delay] of [
        ['40 tokens/s', 0],
        ['1 s before the first token, then 40 tokens/s', 1000],
      ] as const) {
        for (const make of [
          (fd: TutorFrontDoor) => terminalSurface(fd),
          (fd: TutorFrontDoor) => telegramSurface(fd, 'private'),
          (fd: TutorFrontDoor) => telegramSurface(fd, 'group'),
          (fd: TutorFrontDoor) => discordSurface(fd),
        ]) {
          const bench = await benchCore(llm.url, { LLM_TIMEOUT_MS: '60000', LLM_STALL_TIMEOUT_MS: '20000' });
          const surface = await make(bench.core.frontDoor);
          try {
            ctx.progress(`${surface.name}, ${variant}`);
            figures.push(...figuresFor(surface.name, variant, await measure(surface, llm, delay)));
          } finally {
            await surface.close();
            await bench.close();
          }
        }
      }
    } finally {
      await llm.close();
    }
    return figures;
  },
};
