// Slash commands, buttons, modals and autocomplete through the gateway: every interaction is acknowledged
// within Discord's 3 seconds, answered through the webhook, and failures end as short private notices.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/actions.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import type { Reply } from '../../src/core/types.ts';
import type { FakeInteraction } from '../support/fake-discord/index.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { createStubFrontDoor, type StubFrontDoor } from './helpers/stub-front-door.ts';

const t = createI18n().translator('en');
let h: Harness;
let frontDoor: StubFrontDoor;

beforeAll(async () => {
  frontDoor = createStubFrontDoor();
  h = await startHarness({ frontDoor });
});
afterAll(() => h?.close());
beforeEach(() => {
  frontDoor.calls.length = 0;
  frontDoor.delayMs = 0;
  frontDoor.onCommand = (name) => [{ blocks: [{ kind: 'text', text: `ran ${name}` }] }];
});

const callbackOf = (i: FakeInteraction) => h.fake.calls.find((c) => c.path === `/interactions/${i.id}/${i.token}/callback`);
const messagesOf = (i: FakeInteraction) => [...h.fake.world.messages.values()].filter((m) => m.interactionId === i.id);
const visibleMessagesOf = (i: FakeInteraction) => messagesOf(i).filter((m) => !m.deleted && !m.loading);
const settled = (i: FakeInteraction, count = 1) =>
  h.fake.waitFor(() => visibleMessagesOf(i).length >= count && visibleMessagesOf(i), 15_000, `answer to ${i.id}`);

describe('slash commands', () => {
  it('defers and answers every command of the front door', async () => {
    for (const command of frontDoor.commands) {
      const required = command.options.filter((o) => o.required);
      const options = Object.fromEntries(required.filter((o) => o.type !== 'attachment').map((o) => [o.name, o.type === 'integer' ? 3 : 'kitchen']));
      const files = Object.fromEntries(required.filter((o) => o.type === 'attachment').map((o) => [o.name, { filename: 'export.json', data: '{}' }]));
      const i = h.fake.slashCommand({ name: command.name, options, files, user: h.alice });
      const [answer] = await settled(i);
      expect(answer!.content).toBe(`ran ${command.name}`);
      expect(callbackOf(i)!.body).toMatchObject({ type: 5 });
      expect(h.fake.acknowledgedInTime(i.id)).toBe(true);
      const call = frontDoor.of('command').find((c) => c.name === command.name)!;
      expect(call.args).toEqual(options);
    }
    expect(h.fake.rejected()).toEqual([]);
  });

  it('maps the user and the channel, with the interaction locale', async () => {
    const i = h.fake.slashCommand({ name: 'help', user: h.alice, locale: 'es-ES' });
    await settled(i);
    const { incoming } = frontDoor.of('command')[0]!;
    expect(incoming.user).toEqual({ platform: 'discord', externalId: h.alice.id, displayName: 'Ali', username: 'alice', locale: 'es-ES' });
    expect(incoming.conversation).toEqual({ platform: 'discord', chatId: h.fake.channelId, isGroup: true });

    const dm = h.fake.slashCommand({ name: 'help', user: h.bob, dm: true });
    await settled(dm);
    const dmCall = frontDoor.of('command')[1]!;
    expect(dmCall.incoming.user.displayName).toBe('Bob');
    expect(dmCall.incoming.conversation).toEqual({ platform: 'discord', chatId: h.fake.dmChannel(h.bob).id, isGroup: false });
  });

  it('acknowledges within 3 s even when the front door takes 10 s', async () => {
    frontDoor.delayMs = 10_000;
    const started = Date.now();
    const i = h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: h.alice });
    await h.fake.waitFor(() => callbackOf(i), 3_000, 'the defer');
    expect(h.fake.acknowledgedInTime(i.id)).toBe(true);
    const [answer] = await settled(i);
    expect(answer!.content).toBe('ran flashcards');
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(h.fake.interaction(i.id).lateCallbacks).toBe(0);
  }, 30_000);

  it('defers privately for private commands', async () => {
    const i = h.fake.slashCommand({ name: 'settings', user: h.alice });
    const [answer] = await settled(i);
    expect(callbackOf(i)!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(answer!.ephemeral).toBe(true);
  });

  it('replaces a public placeholder by a private reply when the reply is ephemeral', async () => {
    frontDoor.onCommand = () => [{ blocks: [{ kind: 'text', text: 'only for you' }], ephemeral: true }];
    const i = h.fake.slashCommand({ name: 'help', user: h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: 'only for you', ephemeral: true });
    expect(messagesOf(i).filter((m) => !m.ephemeral && !m.deleted)).toEqual([]);
  });

  it('sends several replies as the edited placeholder and follow-ups, splitting long text', async () => {
    const long = Array.from({ length: 40 }, (_, n) => `Paragraph ${n} ${'word '.repeat(30)}`).join('\n\n');
    frontDoor.onCommand = () => [
      { blocks: [{ kind: 'text', text: 'first' }] },
      { blocks: [{ kind: 'card', title: 'Card', description: 'd'.repeat(9000), fields: [{ label: 'Back', value: 'secret', hidden: true }] }] },
      { blocks: [{ kind: 'text', text: long }] },
    ];
    const i = h.fake.slashCommand({ name: 'help', user: h.alice });
    await h.fake.waitFor(() => h.fake.interaction(i.id).followUps.length >= 4 && true, 10_000, 'follow-ups');
    const answers = visibleMessagesOf(i);
    expect(answers[0]!.content).toBe('first');
    expect(answers.flatMap((m) => m.embeds).some((e) => JSON.stringify(e).includes('||secret||'))).toBe(true);
    expect(answers.every((m) => m.content.length <= 2000)).toBe(true);
    expect(h.fake.rejected()).toEqual([]);
  });

  it('uploads attachments', async () => {
    frontDoor.onCommand = () => [{ blocks: [{ kind: 'text', text: 'your export' }], attachment: { filename: 'cards.csv', mimeType: 'text/csv', data: new TextEncoder().encode('a,b\n') } }];
    const i = h.fake.slashCommand({ name: 'help', user: h.alice });
    const [answer] = await settled(i);
    expect(answer!.attachments).toMatchObject([{ filename: 'cards.csv', size: 4 }]);
  });

  it('deletes the placeholder when there is nothing to say', async () => {
    frontDoor.onCommand = () => [];
    const i = h.fake.slashCommand({ name: 'help', user: h.alice });
    await h.fake.waitFor(() => messagesOf(i)[0]?.deleted, 15_000, 'placeholder deletion');
  });

  it('turns a failing front door into a short private notice', async () => {
    frontDoor.onCommand = () => {
      throw new Error('database exploded with secret details');
    };
    const i = h.fake.slashCommand({ name: 'help', user: h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: t('discord.genericError'), ephemeral: true });
    expect(messagesOf(i).some((m) => !m.deleted && !m.ephemeral)).toBe(false);
  });

  it('answers a command Discord still shows but the bot no longer has', async () => {
    const i = h.fake.slashCommand({ name: 'retired', user: h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: t('discord.unknownCommand'), ephemeral: true });
    expect(frontDoor.of('command')).toEqual([]);
  });

  it('survives an interaction that expired before it arrived, and keeps working', async () => {
    const late = h.fake.slashCommand({ name: 'help', user: h.alice, ageMs: 4_000 });
    await h.fake.waitFor(() => h.fake.interaction(late.id).lateCallbacks === 1, 15_000, 'the late callback');
    expect(callbackOf(late)!.response).toMatchObject({ code: 10062 });
    const next = h.fake.slashCommand({ name: 'help', user: h.alice });
    await settled(next);
    expect(frontDoor.of('command').map((c) => c.name)).toEqual(['help']);
    expect(h.adapter.isConnected()).toBe(true);
  });
});

describe('files', () => {
  it('downloads the attachment option and hands it to the command', async () => {
    const i = h.fake.slashCommand({ name: 'import', options: { note: 'mine' }, files: { file: { filename: 'export.json', data: '{"items":[]}' } }, user: h.alice });
    await settled(i);
    const call = frontDoor.of('command')[0]!;
    expect(call.args).toEqual({ note: 'mine' });
    expect(call.attachment!.filename).toBe('export.json');
    expect(new TextDecoder().decode(call.attachment!.data)).toBe('{"items":[]}');
  });

  it('refuses a file over 5 MB without downloading or calling the command', async () => {
    const i = h.fake.slashCommand({ name: 'import', files: { file: { filename: 'big.json', data: '{}', size: 6 * 1024 * 1024 } }, user: h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: t('discord.fileTooLarge', { max: 5 }), ephemeral: true });
    expect(frontDoor.of('command')).toEqual([]);
  });

  it('sends a file attached to a /command message along with the text', async () => {
    frontDoor.onText = () => null;
    h.fake.sendMessage({ author: h.bob, dm: true, content: '/import', files: [{ filename: 'cards.csv', data: 'a,b\n' }] });
    await h.fake.waitFor(() => frontDoor.of('text')[0], 15_000, 'the text command');
    const call = frontDoor.of('text')[0]!;
    expect(call.text).toBe('/import');
    expect(call.options.attachment).toMatchObject({ filename: 'cards.csv' });
    expect(new TextDecoder().decode(call.options.attachment!.data)).toBe('a,b\n');
  });
});

describe('autocomplete', () => {
  it('suggests languages at once, at most 25', async () => {
    const i = h.fake.autocomplete({ name: 'flashcards', options: { topic: 'x', lang: 'spa' }, focused: 'lang', user: h.alice });
    await h.fake.waitFor(() => h.fake.interaction(i.id).autocompleteChoices, 3_000, 'choices');
    const choices = h.fake.interaction(i.id).autocompleteChoices!;
    expect(choices[0]).toEqual({ name: 'Spanish (es)', value: 'es' });
    expect(choices.length).toBeLessThanOrEqual(25);
    const empty = h.fake.autocomplete({ name: 'flashcards', options: { lang: '' }, focused: 'lang', user: h.alice });
    await h.fake.waitFor(() => h.fake.interaction(empty.id).autocompleteChoices, 3_000, 'choices');
    expect(h.fake.interaction(empty.id).autocompleteChoices).toHaveLength(25);
  });
});

describe('buttons and the save modal', () => {
  async function messageWithButtons(reply: Reply) {
    frontDoor.onCommand = () => [reply];
    const i = h.fake.slashCommand({ name: 'help', user: h.alice });
    const [message] = await settled(i);
    return message!;
  }

  it('acknowledges a button with deferUpdate and sends the action replies', async () => {
    const data = encodeAction({ kind: 'question', generationId: 7, question: 1, owner: 0 });
    const message = await messageWithButtons({ blocks: [{ kind: 'text', text: 'Q1' }], buttons: [[{ label: 'Next', data }]] });
    frontDoor.onAction = () => [{ blocks: [{ kind: 'text', text: 'Q2' }] }];
    const press = h.fake.pressButton({ message, customId: data, user: h.bob });
    const [answer] = await settled(press);
    expect(callbackOf(press)!.body).toMatchObject({ type: 6 });
    expect(h.fake.acknowledgedInTime(press.id)).toBe(true);
    expect(answer!.content).toBe('Q2');
    expect(frontDoor.of('action')[0]).toMatchObject({ data, incoming: { user: { externalId: h.bob.id } } });
  });

  it('edits the button message for replaceOrigin replies and sends ephemeral ones privately', async () => {
    const data = encodeAction({ kind: 'answer', generationId: 7, question: 0, choice: 2, owner: 0 });
    const message = await messageWithButtons({ blocks: [{ kind: 'text', text: 'Which?' }], buttons: [[{ label: 'B', data }]] });
    frontDoor.onAction = () => [
      { blocks: [{ kind: 'text', text: 'Which? Correct!' }], replaceOrigin: true },
      { blocks: [{ kind: 'text', text: 'psst' }], ephemeral: true },
    ];
    const press = h.fake.pressButton({ message, customId: data, user: h.alice });
    await h.fake.waitFor(() => h.fake.message(message.id)!.content === 'Which? Correct!', 15_000, 'the edit');
    expect(h.fake.message(message.id)!.components).toEqual([]);
    const [privately] = await settled(press);
    expect(privately).toMatchObject({ content: 'psst', ephemeral: true });
  });

  it('opens a modal for Save and turns its submission into the save command', async () => {
    const data = encodeAction({ kind: 'save', generationId: 42 });
    const message = await messageWithButtons({ blocks: [{ kind: 'text', text: 'cards' }], buttons: [[{ label: 'Save', data }]] });
    const press = h.fake.pressButton({ message, customId: data, user: h.alice });
    const modal = await h.fake.waitFor(() => h.fake.interaction(press.id).modal, 3_000, 'the modal');
    expect(h.fake.acknowledgedInTime(press.id)).toBe(true);
    expect(frontDoor.of('action')).toEqual([]);
    expect(modal).toMatchObject({ title: t('discord.save.modalTitle'), custom_id: 'save-modal|42' });
    expect(JSON.stringify(modal)).toContain('"max_length":1000');

    frontDoor.onCommand = () => [{ blocks: [{ kind: 'text', text: 'Saved #3' }], ephemeral: true }];
    const submit = h.fake.submitModal({ customId: String(modal.custom_id), fields: { label: '  Kitchen words ', notes: '' }, user: h.alice, message });
    const [answer] = await settled(submit);
    expect(callbackOf(submit)!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(answer).toMatchObject({ content: 'Saved #3', ephemeral: true });
    expect(frontDoor.of('command')[1]).toMatchObject({ name: 'save', args: { generation: 42, label: 'Kitchen words' } });
  });
});
