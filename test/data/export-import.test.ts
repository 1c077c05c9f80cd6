// /export and /import through the real front door and database: the Anki file, the JSON round trip
// (export → forget → import restores the saved items and the review deck) and refused files.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import type { Reply } from '../../src/core/types.ts';
import { learnerId, readAnkiTsv } from './helpers.ts';

let t: TestCore;
let db: TestDatabase | undefined;
afterEach(async () => {
  await t?.close();
  await db?.drop();
  db = undefined;
});

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
const ben = () => incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
const say = async (text: string, who = ana(), attachment?: { filename: string; data: Uint8Array }) =>
  (await t.frontDoor.text(who, text, { addressed: true, ...(attachment ? { attachment } : {}) }))!;
const fileOf = (reply: Reply) => new TextDecoder().decode(reply.attachment!.data);

/** Ana saves 3 flashcards and 2 exercises; one card gets a tab, a quote and line breaks to escape. */
async function saveContent() {
  await say('/flashcards kitchen count:3');
  await say('/save kitchen');
  await say('/exercises verbs count:2');
  await say('/save');
  const flashcards = await t.prisma.savedContent.findFirstOrThrow({ where: { contentType: 'flashcards' } });
  const content = flashcards.contentData as { cards: Array<Record<string, string>> };
  content.cards[0]!.word = 'el\tcuchillo "grande"';
  content.cards[0]!.translation = 'the big\nknife';
  await t.prisma.savedContent.update({ where: { id: flashcards.id }, data: { contentData: content } });
  // The deck holds what /save put there; keep it in step with the edited card.
  await t.prisma.reviewCard.updateMany({ where: { front: 'el cuchillo' }, data: { front: content.cards[0]!.word, back: content.cards[0]!.translation } });
}

async function savedSnapshot(userId: number) {
  const items = await t.prisma.savedContent.findMany({ where: { userId }, orderBy: { id: 'asc' } });
  return items.map((i) => ({ type: i.contentType, query: i.originalQuery, content: i.contentData, label: i.userLabel, target: i.targetLanguage, savedAt: i.savedAt.toISOString() }));
}

describe('/export', () => {
  it('sends an Anki file with its headers and one row per card, escaped, and the JSON of every item', async () => {
    t = await createTestCore();
    await saveContent();
    await say('/simulate at the bakery');
    await say('/end');
    await say('/save'); // the simulation: in the JSON, not in the Anki file
    const replies = await say('/export');
    expect(replies).toHaveLength(2);
    const [anki, json] = replies;
    expect(anki!.attachment).toMatchObject({ mimeType: 'text/tab-separated-values' });
    expect(replyText([anki!])).toContain('5 cards from 3 saved items');

    const tsv = fileOf(anki!);
    const { headers, records } = readAnkiTsv(tsv);
    expect(headers).toEqual(['#separator:tab', '#html:false', '#tags column:3']);
    expect(records).toHaveLength(5); // 3 flashcards + 2 questions
    expect(records.every((r) => r.length === 3)).toBe(true);
    expect(records[0]![0]).toBe('el\tcuchillo "grande"');
    expect(records[0]![1]).toMatch(/^the big\nknife\n/);
    // In the raw file the awkward fields are quoted, quotes doubled.
    expect(tsv).toContain('"el\tcuchillo ""grande"""\t"the big\nknife\n');
    const saved = await t.prisma.savedContent.findMany({ orderBy: { id: 'asc' } });
    expect(records[0]![2]).toBe(`tutor saved-${saved[0]!.id} es flashcards`);
    expect(records[4]![2]).toBe(`tutor saved-${saved[1]!.id} es exercises`);
    expect(records[3]![0]).toContain('\n'); // a multiple-choice question lists its choices on a second line

    const file = JSON.parse(fileOf(json!));
    expect(json!.attachment).toMatchObject({ filename: 'saved-items.json', mimeType: 'application/json' });
    expect(file).toMatchObject({ format: 'language-tutor-export', version: 1 });
    expect(file.items.map((i: { type: string }) => i.type)).toEqual(['flashcards', 'exercises', 'simulation']);
    expect(file.items[0]).toMatchObject({ query: 'kitchen', label: 'kitchen', targetLanguage: 'es', baseLanguage: 'en' });
  });

  it('with nothing saved says so and sends no file', async () => {
    t = await createTestCore();
    const replies = await say('/export');
    expect(replies.some((r) => r.attachment)).toBe(false);
    expect(replyText(replies)).toContain('nothing to export');
  });
});

describe.each(PROVIDERS)('export → forget → import on $name', ({ create, skip }) => {
  it.skipIf(Boolean(skip))(skip ? `round trip — skipped: ${skip}` : 'restores the saved items and the deck; a second import skips them all', async () => {
    db = await create();
    t = await createTestCore({ database: db });
    await saveContent();
    const before = await savedSnapshot(await learnerId(t, ana()));
    const deckBefore = (await t.prisma.reviewCard.findMany({ orderBy: { id: 'asc' } })).map((c) => [c.front, c.back]);
    expect(deckBefore).toHaveLength(3);
    const [, json] = await say('/export');
    const data = json!.attachment!.data;

    expect(replyText(await say('/forget confirm'))).toContain('I deleted');
    expect(await t.prisma.savedContent.count()).toBe(0);
    expect(await t.prisma.reviewCard.count()).toBe(0);

    const imported = await say('/import', ana(), { filename: 'saved-items.json', data });
    expect(replyText(imported)).toContain('Imported 2 of 2 saved items; cards added to your review deck: 3.');
    const newId = await learnerId(t, ana());
    expect(await savedSnapshot(newId)).toEqual(before);
    const deckAfter = await t.prisma.reviewCard.findMany({ where: { userId: newId }, orderBy: { id: 'asc' } });
    expect(deckAfter.map((c) => [c.front, c.back])).toEqual(deckBefore);
    expect(deckAfter.every((c) => c.savedContentId !== null)).toBe(true);

    const again = await say('/import', ana(), { filename: 'saved-items.json', data });
    expect(replyText(again)).toContain('Imported 0 of 2');
    expect(replyText(again)).toContain('Skipped 2: already saved.');
    expect(await t.prisma.savedContent.count()).toBe(2);
    expect(await t.prisma.reviewCard.count()).toBe(3);

    // Another learner can import the same file into their own account.
    expect(replyText(await say('/import', ben(), { filename: 'saved-items.json', data }))).toContain('Imported 2 of 2');
    expect(await t.prisma.savedContent.count({ where: { userId: await learnerId(t, ben()) } })).toBe(2);
  });
});

describe('/import refuses what is not an export', () => {
  it('garbage, other JSON, a TSV, a newer version or no file: a clear message and nothing changes', async () => {
    t = await createTestCore();
    await saveContent();
    const [anki, json] = await say('/export');
    const counts = async () => [await t.prisma.savedContent.count(), await t.prisma.reviewCard.count(), await t.prisma.user.count()];
    const before = await counts();
    const encode = (text: string) => new TextEncoder().encode(text);

    const garbage = await say('/import', ana(), { filename: 'photo.jpg', data: new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x81]) });
    expect(replyText(garbage)).toBe('The file photo.jpg is not an export of your saved items. Send the .json file that /export made.');
    expect(replyText(await say('/import', ana(), { filename: 'other.json', data: encode('{"hello": [1, 2]}') }))).toContain('not an export');
    expect(replyText(await say('/import', ana(), { filename: 'array.json', data: encode('[]') }))).toContain('not an export');
    expect(replyText(await say('/import', ana(), { filename: 'cards.txt', data: anki!.attachment!.data }))).toContain('not an export');
    const newer = { ...JSON.parse(fileOf(json!)), version: 2 };
    expect(replyText(await say('/import', ana(), { filename: 'new.json', data: encode(JSON.stringify(newer)) }))).toContain('newer version of me (format version 2)');
    expect(replyText(await say('/import'))).toContain('Send the file that /export made together with /import');
    expect(await counts()).toEqual(before);
  });

  it('inside a valid export, broken items are skipped and named; the others are imported', async () => {
    t = await createTestCore();
    await saveContent();
    const [, json] = await say('/export');
    const file = JSON.parse(fileOf(json!));
    await say('/forget confirm');
    file.items[1].content.questions[0].answer = 'not one of the choices';
    file.items.push({ type: 'podcast', query: 'x', content: {} });
    const replies = await say('/import', ana(), { filename: 'saved-items.json', data: new TextEncoder().encode(JSON.stringify(file)) });
    const text = replyText(replies);
    expect(text).toContain('Imported 1 of 3 saved items; cards added to your review deck: 3.');
    expect(text).toContain('Skipped item 2: the field content.questions.0.answer is missing or not valid.');
    expect(text).toContain('Skipped item 3: the field type is missing or not valid.');
    expect(await t.prisma.savedContent.count()).toBe(1);
  });
});
