// Issue 5's "done when", as one learner does it through the chat: save 10 cards, review them over simulated
// days (the schedule spreads, the chart changes), export an Anki file, switch the interface to Spanish, link
// the Telegram and terminal identities, and finally delete everything with /forget.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import type { Incoming } from '../../src/commands/front-door.ts';
import type { Reply } from '../../src/core/types.ts';
import { testClock, type TestClock } from '../loop/helpers.ts';

let t: TestCore;
let clock: TestClock;
beforeAll(async () => {
  clock = testClock('2026-03-02T08:00:00Z');
  t = await createTestCore({ clock, env: { USER_CALLS_PER_MINUTE: '100' } });
});
afterAll(async () => {
  await t.close();
});

const terminal = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
const telegram = () => incomingFrom(t.logger, { id: '1001', name: 'Ana', locale: 'en' }, { platform: 'telegram', id: '1001' });
const run = async (who: Incoming, text: string) => (await t.frontDoor.text(who, text, { addressed: true }))!;
const say = async (who: Incoming, text: string) => replyText(await run(who, text));
const attachmentOf = (replies: Reply[], name: RegExp) => replies.find((r) => r.attachment && name.test(r.attachment.filename))!.attachment!;

/** Reviews every due card: the first `again` cards of the session get Again, the rest Good. */
async function reviewAll(who: Incoming, again = 0): Promise<number> {
  let reviewed = 0;
  let [card] = await run(who, '/review');
  while (card?.buttons?.[0]?.[0] && reviewed < 40) {
    const [back] = await t.frontDoor.action(who, card.buttons[0][0].data);
    const grade = reviewed < again ? 0 : 2; // Again | Good
    const replies = await t.frontDoor.action(who, back!.buttons!.flat()[grade]!.data);
    reviewed += 1;
    card = replies[1];
    if (!card?.buttons) break;
  }
  return reviewed;
}

it('saves, reviews over days, exports, speaks Spanish, links accounts and forgets', async () => {
  // Saves 10 cards.
  await say(terminal(), '/settings lang:es base:en level:A2');
  await say(terminal(), '/flashcards kitchen words for my job as a chef count:10');
  expect(await say(terminal(), '/save chef words')).toContain('Cards added to your review deck: 10');

  // Day 1: reviews all 10 (two forgotten); the chart is drawn.
  expect(await reviewAll(terminal(), 2)).toBe(10);
  const chartDay1 = attachmentOf(await run(terminal(), '/stats'), /\.png$/).data;

  // Over the next days the schedule spreads: different cards come back on different days.
  const dueCounts: number[] = [];
  for (let day = 1; day <= 12; day++) {
    clock.advance(24 * 3_600_000);
    dueCounts.push(await reviewAll(terminal()));
  }
  const days = await t.prisma.reviewCard.findMany({ select: { due: true } });
  const distinctDueDays = new Set(days.map((c) => c.due.toISOString().slice(0, 10)));
  expect(distinctDueDays.size).toBeGreaterThan(1); // not all on one day
  expect(dueCounts.some((n) => n === 0)).toBe(true); // some days nothing is due
  expect(await t.prisma.reviewLog.count()).toBeGreaterThan(10);
  const chartLater = attachmentOf(await run(terminal(), '/stats'), /\.png$/).data;
  expect(Buffer.from(chartLater).equals(Buffer.from(chartDay1))).toBe(false); // the chart changed

  // Exports a file Anki's text import accepts: tab-separated, with Anki's header lines, one row per card.
  const tsv = Buffer.from(attachmentOf(await run(terminal(), '/export'), /\.txt$/).data).toString('utf8');
  expect(tsv.split('\n').slice(0, 3)).toEqual(['#separator:tab', '#html:false', '#tags column:3']);
  const rows = parseAnkiText(tsv);
  expect(rows).toHaveLength(10);
  expect(rows.every((r) => r.length === 3)).toBe(true);
  expect(rows[0]![0]).toBe('el cuchillo');
  expect(rows[0]![1]).toContain('the knife');

  // Switches the interface to Spanish.
  expect(await say(terminal(), '/settings base:es')).toMatch(/Guardado|Tus ajustes/);
  expect(await say(terminal(), '/rate 9')).toMatch(/del 1 al 5/);

  // Links the Telegram identity to the terminal one.
  const code = /([A-Z0-9]{8})/.exec(await say(terminal(), '/link'))![1]!;
  await say(telegram(), '/settings');
  await say(telegram(), `/link ${code}`);
  const fromTelegram = await t.core.services.learners.find(telegram().user);
  const fromTerminal = await t.core.services.learners.find(terminal().user);
  expect(fromTelegram!.id).toBe(fromTerminal!.id);
  expect(await say(telegram(), '/saved')).toContain('chef words'); // the same saved items from the other platform

  // Deletes everything.
  expect(await say(telegram(), '/forget confirm')).toMatch(/He borrado tu perfil, 2 cuentas de plataforma, 1 elemento guardado, 10 tarjetas/); // in Spanish: the linked learner's interface
  await t.core.activityLog.flush();
  for (const count of [
    t.prisma.user.count(),
    t.prisma.platformAccount.count(),
    t.prisma.savedContent.count(),
    t.prisma.reviewCard.count(),
    t.prisma.reviewLog.count(),
    t.prisma.activityLog.count(),
  ]) {
    expect(await count).toBe(0);
  }
}, 120_000);

/** Parses Anki's "notes in plain text" format as its importer does: tab-separated, "quoted" fields may hold
 * tabs and line breaks ("" inside is a quote), lines starting with # before the notes are headers. */
function parseAnkiText(text: string): string[][] {
  const body = text.split('\n').filter((line, i, all) => !(line.startsWith('#') && all.slice(0, i).every((l) => l.startsWith('#')))).join('\n');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === '\t') (row.push(field), (field = ''));
    else if (c === '\n') (row.push(field), rows.push(row), (row = []), (field = ''));
    else field += c;
  }
  if (field || row.length) (row.push(field), rows.push(row));
  return rows.filter((r) => r.some((f) => f.trim()));
}
