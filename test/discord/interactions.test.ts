// Slash commands, buttons, modals and autocomplete through the gateway: every interaction is acknowledged
// within Discord's 3 seconds, answered through the webhook, and failures end as short private notices.
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/actions.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import type { Reply } from '../../src/core/types.ts';
import type { FakeInteraction } from '../support/fake-discord/index.ts';
import { useStubHarness } from './helpers/harness.ts';

const t = createI18n().translator('en');
const ctx = useStubHarness();

beforeEach(() => {
  ctx.frontDoor.onCommand = (name) => [{ blocks: [{ kind: 'text', text: `ran ${name}` }] }];
});

const callbackOf = (i: FakeInteraction) => ctx.h.fake.calls.find((c) => c.path === `/interactions/${i.id}/${i.token}/callback`);
const messagesOf = (i: FakeInteraction) => [...ctx.h.fake.world.messages.values()].filter((m) => m.interactionId === i.id);
const visibleMessagesOf = (i: FakeInteraction) => messagesOf(i).filter((m) => !m.deleted && !m.loading);
const settled = (i: FakeInteraction, count = 1) =>
  ctx.h.fake.waitFor(() => visibleMessagesOf(i).length >= count && visibleMessagesOf(i), 15_000, `answer to ${i.id}`);

describe('slash commands', () => {
  it('defers and answers every command of the front door', async () => {
    for (const command of ctx.frontDoor.commands) {
      const required = command.options.filter((o) => o.required);
      const options = Object.fromEntries(required.filter((o) => o.type !== 'attachment').map((o) => [o.name, o.type === 'integer' ? 3 : 'kitchen']));
      const files = Object.fromEntries(required.filter((o) => o.type === 'attachment').map((o) => [o.name, { filename: 'export.json', data: '{}' }]));
      const i = ctx.h.fake.slashCommand({ name: command.name, options, files, user: ctx.h.alice });
      const [answer] = await settled(i);
      expect(answer!.content).toBe(`ran ${command.name}`);
      expect(callbackOf(i)!.body).toMatchObject({ type: 5 });
      expect(ctx.h.fake.acknowledgedInTime(i.id)).toBe(true);
      const call = ctx.frontDoor.of('command').find((c) => c.name === command.name)!;
      expect(call.args).toEqual(options);
    }
    expect(ctx.h.fake.rejected()).toEqual([]);
  });

  it('maps the user and the channel, with the interaction locale', async () => {
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice, locale: 'es-ES' });
    await settled(i);
    const { incoming } = ctx.frontDoor.of('command')[0]!;
    expect(incoming.user).toEqual({ platform: 'discord', externalId: ctx.h.alice.id, displayName: 'Ali', username: 'alice', locale: 'es-ES' });
    expect(incoming.conversation).toEqual({ platform: 'discord', chatId: ctx.h.fake.channelId, isGroup: true });

    const dm = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.bob, dm: true });
    await settled(dm);
    const dmCall = ctx.frontDoor.of('command')[1]!;
    expect(dmCall.incoming.user.displayName).toBe('Bob');
    expect(dmCall.incoming.conversation).toEqual({ platform: 'discord', chatId: ctx.h.fake.dmChannel(ctx.h.bob).id, isGroup: false });
  });

  it('acknowledges within 3 s even when the front door takes 10 s', async () => {
    ctx.frontDoor.delayMs = 10_000;
    const started = Date.now();
    const i = ctx.h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => callbackOf(i), 3_000, 'the defer');
    expect(ctx.h.fake.acknowledgedInTime(i.id)).toBe(true);
    const [answer] = await settled(i);
    expect(answer!.content).toBe('ran flashcards');
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(ctx.h.fake.interaction(i.id).lateCallbacks).toBe(0);
  }, 30_000);

  it('answers ping no one: the edit of the placeholder and the follow-ups parse no mentions', async () => {
    ctx.frontDoor.onCommand = () => [
      { blocks: [{ kind: 'text', text: `@everyone look, <@${ctx.h.bob.id}>` }] },
      { blocks: [{ kind: 'text', text: '@here too' }] },
      { blocks: [{ kind: 'text', text: `only <@${ctx.h.bob.id}> sees? no, only you` }], ephemeral: true },
    ];
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    await settled(i, 3);
    const answers = ctx.h.fake.calls.filter((c) => c.path.startsWith(`/webhooks/`) && c.path.includes(i.token));
    expect(answers.map((c) => [c.method, c.status, (c.body as { allowed_mentions?: unknown }).allowed_mentions])).toEqual([
      ['PATCH', 200, { parse: [], replied_user: false }],
      ['POST', 200, { parse: [], replied_user: false }],
      ['POST', 200, { parse: [], replied_user: false }],
    ]);
    expect(visibleMessagesOf(i).map((m) => [m.content.replace(/\\/g, ''), m.ephemeral])).toEqual([
      [`@everyone look, <@${ctx.h.bob.id}>`, false],
      ['@here too', false],
      [`only <@${ctx.h.bob.id}> sees? no, only you`, true],
    ]);
  });

  it('defers privately for private commands', async () => {
    const i = ctx.h.fake.slashCommand({ name: 'settings', user: ctx.h.alice });
    const [answer] = await settled(i);
    expect(callbackOf(i)!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(answer!.ephemeral).toBe(true);
  });

  it('replaces a public placeholder by a private reply when the reply is ephemeral', async () => {
    ctx.frontDoor.onCommand = () => [{ blocks: [{ kind: 'text', text: 'only for you' }], ephemeral: true }];
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: 'only for you', ephemeral: true });
    expect(messagesOf(i).filter((m) => !m.ephemeral && !m.deleted)).toEqual([]);
  });

  it('sends several replies as the edited placeholder and follow-ups, splitting long text', async () => {
    const long = Array.from({ length: 40 }, (_, n) => `Paragraph ${n} ${'word '.repeat(30)}`).join('\n\n');
    ctx.frontDoor.onCommand = () => [
      { blocks: [{ kind: 'text', text: 'first' }] },
      { blocks: [{ kind: 'card', title: 'Card', description: 'd'.repeat(9000), fields: [{ label: 'Back', value: 'secret', hidden: true }] }] },
      { blocks: [{ kind: 'text', text: long }] },
    ];
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(i.id).followUps.length >= 4 && true, 10_000, 'follow-ups');
    const answers = visibleMessagesOf(i);
    expect(answers[0]!.content).toBe('first');
    expect(answers.flatMap((m) => m.embeds).some((e) => JSON.stringify(e).includes('||secret||'))).toBe(true);
    expect(answers.every((m) => m.content.length <= 2000)).toBe(true);
    expect(ctx.h.fake.rejected()).toEqual([]);
  });

  it('uploads attachments', async () => {
    ctx.frontDoor.onCommand = () => [{ blocks: [{ kind: 'text', text: 'your export' }], attachment: { filename: 'cards.csv', mimeType: 'text/csv', data: new TextEncoder().encode('a,b\n') } }];
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    const [answer] = await settled(i);
    expect(answer!.attachments).toMatchObject([{ filename: 'cards.csv', size: 4 }]);
  });

  it('deletes the placeholder when there is nothing to say', async () => {
    ctx.frontDoor.onCommand = () => [];
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => messagesOf(i)[0]?.deleted, 15_000, 'placeholder deletion');
  });

  it('turns a failing front door into a short private notice', async () => {
    ctx.frontDoor.onCommand = () => {
      throw new Error('database exploded with secret details');
    };
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: t('discord.genericError'), ephemeral: true });
    expect(messagesOf(i).some((m) => !m.deleted && !m.ephemeral)).toBe(false);
  });

  it('answers a command Discord still shows but the bot no longer has', async () => {
    const i = ctx.h.fake.slashCommand({ name: 'retired', user: ctx.h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: t('discord.unknownCommand'), ephemeral: true });
    expect(ctx.frontDoor.of('command')).toEqual([]);
  });

  it('survives an interaction that expired before it arrived, and keeps working', async () => {
    const late = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice, ageMs: 4_000 });
    await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(late.id).lateCallbacks === 1, 15_000, 'the late callback');
    expect(callbackOf(late)!.response).toMatchObject({ code: 10062 });
    const next = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    await settled(next);
    expect(ctx.frontDoor.of('command').map((c) => c.name)).toEqual(['help']);
    expect(ctx.h.adapter.isConnected()).toBe(true);
  });
});

describe('files', () => {
  it('downloads the attachment option and hands it to the command', async () => {
    const i = ctx.h.fake.slashCommand({ name: 'import', options: { note: 'mine' }, files: { file: { filename: 'export.json', data: '{"items":[]}' } }, user: ctx.h.alice });
    await settled(i);
    const call = ctx.frontDoor.of('command')[0]!;
    expect(call.args).toEqual({ note: 'mine' });
    expect(call.attachment!.filename).toBe('export.json');
    expect(new TextDecoder().decode(call.attachment!.data)).toBe('{"items":[]}');
  });

  it('refuses a file over 5 MB without downloading or calling the command', async () => {
    const i = ctx.h.fake.slashCommand({ name: 'import', files: { file: { filename: 'big.json', data: '{}', size: 6 * 1024 * 1024 } }, user: ctx.h.alice });
    const [answer] = await settled(i);
    expect(answer).toMatchObject({ content: t('discord.fileTooLarge', { max: 5 }), ephemeral: true });
    expect(ctx.frontDoor.of('command')).toEqual([]);
  });

  it('sends a file attached to a /command message along with the text', async () => {
    ctx.frontDoor.onText = () => null;
    ctx.h.fake.sendMessage({ author: ctx.h.bob, dm: true, content: '/import', files: [{ filename: 'cards.csv', data: 'a,b\n' }] });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('text')[0], 15_000, 'the text command');
    const call = ctx.frontDoor.of('text')[0]!;
    expect(call.text).toBe('/import');
    expect(call.options.attachment).toMatchObject({ filename: 'cards.csv' });
    expect(new TextDecoder().decode(call.options.attachment!.data)).toBe('a,b\n');
  });
});

describe('autocomplete', () => {
  it('suggests languages at once, at most 25', async () => {
    const i = ctx.h.fake.autocomplete({ name: 'flashcards', options: { topic: 'x', lang: 'spa' }, focused: 'lang', user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(i.id).autocompleteChoices, 3_000, 'choices');
    const choices = ctx.h.fake.interaction(i.id).autocompleteChoices!;
    expect(choices[0]).toEqual({ name: 'Spanish (es)', value: 'es' });
    expect(choices.length).toBeLessThanOrEqual(25);
    const empty = ctx.h.fake.autocomplete({ name: 'flashcards', options: { lang: '' }, focused: 'lang', user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(empty.id).autocompleteChoices, 3_000, 'choices');
    expect(ctx.h.fake.interaction(empty.id).autocompleteChoices).toHaveLength(25);
  });
});

describe('buttons and the save modal', () => {
  async function messageWithButtons(reply: Reply) {
    ctx.frontDoor.onCommand = () => [reply];
    const i = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    const [message] = await settled(i);
    return message!;
  }

  it('acknowledges a button with deferUpdate and sends the action replies', async () => {
    const data = encodeAction({ kind: 'question', generationId: 7, question: 1, owner: 0 });
    const message = await messageWithButtons({ blocks: [{ kind: 'text', text: 'Q1' }], buttons: [[{ label: 'Next', data }]] });
    ctx.frontDoor.onAction = () => [{ blocks: [{ kind: 'text', text: 'Q2' }] }];
    const press = ctx.h.fake.pressButton({ message, customId: data, user: ctx.h.bob });
    const [answer] = await settled(press);
    expect(callbackOf(press)!.body).toMatchObject({ type: 6 });
    expect(ctx.h.fake.acknowledgedInTime(press.id)).toBe(true);
    expect(answer!.content).toBe('Q2');
    expect(ctx.frontDoor.of('action')[0]).toMatchObject({ data, incoming: { user: { externalId: ctx.h.bob.id } } });
  });

  it('edits the button message for replaceOrigin replies and sends ephemeral ones privately', async () => {
    const data = encodeAction({ kind: 'answer', generationId: 7, question: 0, choice: 2, owner: 0 });
    const message = await messageWithButtons({ blocks: [{ kind: 'text', text: 'Which?' }], buttons: [[{ label: 'B', data }]] });
    ctx.frontDoor.onAction = () => [
      { blocks: [{ kind: 'text', text: 'Which? Correct!' }], replaceOrigin: true },
      { blocks: [{ kind: 'text', text: 'psst' }], ephemeral: true },
    ];
    const press = ctx.h.fake.pressButton({ message, customId: data, user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.message(message.id)!.content === 'Which? Correct!', 15_000, 'the edit');
    expect(ctx.h.fake.message(message.id)!.components).toEqual([]);
    const [privately] = await settled(press);
    expect(privately).toMatchObject({ content: 'psst', ephemeral: true });
  });

  it('a replaceOrigin reply replaces the button message wholly: its file goes with its buttons', async () => {
    const data = encodeAction({ kind: 'answer', generationId: 7, question: 0, choice: 2, owner: 0 });
    const message = await messageWithButtons({
      blocks: [{ kind: 'text', text: 'Which?' }],
      buttons: [[{ label: 'B', data }]],
      attachment: { filename: 'words.csv', mimeType: 'text/csv', data: Buffer.from('hola,hello\n') },
    });
    expect(message.attachments).toHaveLength(1);
    ctx.frontDoor.onAction = () => [{ blocks: [{ kind: 'text', text: 'Which? Correct!' }], replaceOrigin: true }];
    ctx.h.fake.pressButton({ message, customId: data, user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.message(message.id)!.content === 'Which? Correct!', 15_000, 'the edit');
    expect(ctx.h.fake.message(message.id)).toMatchObject({ components: [], attachments: [] });
  });

  it('opens a modal for Save and turns its submission into the save command', async () => {
    const data = encodeAction({ kind: 'save', generationId: 42 });
    const message = await messageWithButtons({ blocks: [{ kind: 'text', text: 'cards' }], buttons: [[{ label: 'Save', data }]] });
    const press = ctx.h.fake.pressButton({ message, customId: data, user: ctx.h.alice });
    const modal = await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(press.id).modal, 3_000, 'the modal');
    expect(ctx.h.fake.acknowledgedInTime(press.id)).toBe(true);
    expect(ctx.frontDoor.of('action')).toEqual([]);
    expect(modal).toMatchObject({ title: t('discord.save.modalTitle'), custom_id: 'save-modal|42' });
    expect(JSON.stringify(modal)).toContain('"max_length":1000');

    ctx.frontDoor.onCommand = () => [{ blocks: [{ kind: 'text', text: 'Saved #3' }], ephemeral: true }];
    const submit = ctx.h.fake.submitModal({ customId: String(modal.custom_id), fields: { label: '  Kitchen words ', notes: '' }, user: ctx.h.alice, message });
    const [answer] = await settled(submit);
    expect(callbackOf(submit)!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(answer).toMatchObject({ content: 'Saved #3', ephemeral: true });
    expect(ctx.frontDoor.of('command')[1]).toMatchObject({ name: 'save', args: { generation: 42, label: 'Kitchen words' } });
  });
});
