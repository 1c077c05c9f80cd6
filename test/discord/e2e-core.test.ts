// End to end through the real core (SQLite, the fake OpenAI server, the real front door) and the real
// Discord adapter against the fake Discord: slash commands, ratings (buttons and reactions), the save modal, a simulation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptionDef } from '../../src/commands/define.ts';
import { encodeAction } from '../../src/core/actions.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import type { FakeInteraction } from '../support/fake-discord/index.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

let core: TestCore;
let h: Harness;

beforeAll(async () => {
  core = await createTestCore();
  h = await startHarness({ frontDoor: core.frontDoor, logger: core.logger });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await core?.close();
});

const answersOf = (i: FakeInteraction) => [...h.fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
const answered = (i: FakeInteraction) => h.fake.waitFor(() => answersOf(i).length > 0 && answersOf(i), 20_000, `answer to ${i.id}`);

function sampleValue(option: OptionDef): string | number | boolean {
  switch (option.type) {
    case 'attachment':
      throw new Error('files travel apart from options');
    case 'integer':
      return option.min ?? 1;
    case 'boolean':
      return true;
    case 'language':
      return 'es';
    case 'level':
      return 'A2';
    case 'string':
      return option.choices?.[0]?.value ?? 'kitchen';
  }
}

describe('through the real front door', () => {
  it('defers and answers every registered command', async () => {
    for (const command of core.frontDoor.commands) {
      const required = command.options.filter((o) => o.required);
      const options = Object.fromEntries(required.filter((o) => o.type !== 'attachment').map((o) => [o.name, sampleValue(o)]));
      const files = Object.fromEntries(required.filter((o) => o.type === 'attachment').map((o) => [o.name, { filename: 'export.json', data: '{}' }]));
      const i = h.fake.slashCommand({ name: command.name, options, files, user: h.alice });
      const answers = await answered(i);
      expect(h.fake.acknowledgedInTime(i.id), command.name).toBe(true);
      expect(answers.length, command.name).toBeGreaterThan(0);
    }
    expect(h.fake.rejected().filter((c) => !c.path.includes('/threads'))).toEqual([]);
  }, 120_000);

  it('/flashcards: an embed with a rating row; a press or a keycap reaction is a feedback row, its removal deletes it', async () => {
    const i = h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen', count: 3 }, user: h.bob });
    const hasRatingRow = (m: { components: unknown[] }) => JSON.stringify(m.components).includes('1️⃣');
    const message = await h.fake.waitFor(() => answersOf(i).find((m) => m.embeds.length && hasRatingRow(m)), 20_000, 'the cards');
    expect(message.embeds[0]).toMatchObject({ title: 'En la cocina' });
    expect(JSON.stringify(message.embeds[0])).toContain('||');
    // The fake has the message when its edit arrives; the bot records it once the edit's answer is back.
    const remembered = async () => core.prisma.platformMessage.findFirst({ where: { platform: 'discord', messageId: message.id } });
    await waitForDb(async () => (await remembered()) !== null);
    const generation = await core.prisma.generation.findFirstOrThrow({ where: { contentType: 'flashcards' }, orderBy: { id: 'desc' } });
    expect((await remembered())?.generationId).toBe(generation.id); // the message is linked to the content it shows
    const generationId = generation.id;
    const ratings = async () => (await core.prisma.feedback.findMany({ where: { relatedGenerationId: generationId } })).map((f) => f.rating);

    // The rating row: a press rates, privately acknowledged.
    const ratePress = h.fake.pressButton({ message, customId: encodeAction({ kind: 'rate', generationId, rating: 3 }), user: h.bob });
    const [thanks] = await answered(ratePress);
    expect(thanks!.ephemeral).toBe(true);
    await waitForDb(async () => (await ratings()).join() === '3');

    // A keycap reaction rates too and replaces the pressed rating; its removal deletes the rating.
    h.fake.react({ user: h.bob, message, emoji: '4️⃣' });
    await waitForDb(async () => (await ratings()).join() === '4');
    h.fake.unreact({ user: h.bob, message, emoji: '4️⃣' });
    await waitForDb(async () => (await ratings()).length === 0);
    // The bot adds no reactions of its own (they would still be there): the rating row is on the message itself.
    expect(h.fake.message(message.id)!.reactions).toEqual([]);

    // Save opens a modal; its label and notes reach the saved item.
    const press = h.fake.pressButton({ message, customId: encodeAction({ kind: 'save', generationId }), user: h.bob });
    const modal = await h.fake.waitFor(() => h.fake.interaction(press.id).modal, 3_000, 'the modal');
    const submit = h.fake.submitModal({ customId: String(modal.custom_id), fields: { label: 'Kitchen', notes: 'for Tuesday' }, user: h.bob, message });
    const [saved] = await answered(submit);
    expect(saved!.ephemeral).toBe(true);
    await waitForDb(async () => (await core.prisma.savedContent.findMany({ where: { generationId } })).length === 1);
  }, 60_000);

  it('/simulate opens a thread where learners talk; /end archives it', async () => {
    const i = h.fake.slashCommand({ name: 'simulate', options: { topic: 'at the bakery' }, user: h.alice });
    await answered(i);
    const thread = await h.fake.waitFor(() => h.fake.threads().find((c) => c.id === answersOf(i)[0]?.id), 20_000, 'the thread');
    await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).length === 1, 15_000, 'the note');
    h.fake.sendMessage({ author: h.alice, channelId: thread.id, content: 'Hola, quiero pan.' });
    await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).length === 2, 20_000, 'the turn');
    h.fake.sendMessage({ author: h.bob, channelId: thread.id, content: 'Y yo también.' });
    await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).length === 3, 20_000, 'the second turn');
    const end = h.fake.slashCommand({ name: 'end', user: h.alice, channelId: thread.id });
    await answered(end);
    await h.fake.waitFor(() => h.fake.world.channels.get(thread.id)!.archived, 20_000, 'the archive');
    expect(h.fake.rejected()).toEqual([]);

    // Logs: never the token; learners' texts never at info level or above from the adapter.
    expect(core.logs.some((line) => JSON.stringify(line).includes(h.fake.token))).toBe(false);
    const adapterInfo = core.logs.filter((line) => line.platform === 'discord' && (line.level as number) >= 30);
    expect(adapterInfo.some((line) => JSON.stringify(line).includes('quiero pan'))).toBe(false);
  }, 60_000);
});

async function waitForDb(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the database');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
