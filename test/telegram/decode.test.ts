// Decoding updates: who is addressed, reaction ratings.
import { describe, expect, it } from 'vitest';
import type { Message, ReactionType } from 'grammy/types';
import { decodeTextMessage } from '../../src/bots/telegram/decode-update.ts';
import { ratingFromReactionChange } from '../../src/bots/telegram/reaction-rating.ts';

const bot = { id: 42, username: 'tutor_test_bot' };
const group = { id: -100, type: 'group', title: 'G' } as const;
const alice = { id: 7, is_bot: false, first_name: 'Alice' };

function message(fields: Partial<Message>): Message {
  return { message_id: 10, date: 0, chat: group, from: alice, ...fields } as Message;
}

describe('decodeTextMessage', () => {
  it('ignores commands addressed to another bot, keeps ours and unsuffixed ones', () => {
    expect(decodeTextMessage(message({ text: '/start@other_bot' }), bot, new Set()).kind).toBe('ignore');
    expect(decodeTextMessage(message({ text: '/start@Tutor_Test_Bot hi' }), bot, new Set())).toMatchObject({ kind: 'text', text: '/start@Tutor_Test_Bot hi', addressed: true });
    expect(decodeTextMessage(message({ text: '/start' }), bot, new Set())).toMatchObject({ kind: 'text', isCommand: true, addressed: true });
  });

  it('treats mentions as addressed and removes the handle from the text', () => {
    const decoded = decodeTextMessage(
      message({ text: '@tutor_test_bot ¿cómo estás?', entities: [{ type: 'mention', offset: 0, length: 15 }] }),
      bot,
      new Set(),
    );
    expect(decoded).toMatchObject({ kind: 'text', text: '¿cómo estás?', addressed: true });
  });

  it('plain group chatter is not addressed; a reply to the bot is, with replyTo', () => {
    expect(decodeTextMessage(message({ text: 'hola' }), bot, new Set())).toMatchObject({ addressed: false });
    const reply = decodeTextMessage(
      message({ text: 'hola', reply_to_message: { message_id: 5, date: 0, chat: group, from: { id: 42, is_bot: true, first_name: 'Tutor' } } as never }),
      bot,
      new Set(),
    );
    expect(reply).toMatchObject({ addressed: true, replyTo: { platform: 'telegram', chatId: '-100', messageId: '5' } });
  });

  it('messages in a topic the bot created are addressed, without replyTo to the topic root', () => {
    const forum = { id: -200, type: 'supergroup', title: 'F', is_forum: true } as const;
    const root = { message_id: 77, date: 0, chat: forum, from: { id: 42, is_bot: true, first_name: 'Tutor' }, forum_topic_created: { name: 'x', icon_color: 1 } } as Message;
    const decoded = decodeTextMessage(
      { message_id: 80, date: 0, chat: forum, from: alice, text: 'hola', message_thread_id: 77, is_topic_message: true, reply_to_message: root } as Message,
      bot,
      new Set(),
    );
    expect(decoded).toEqual({ kind: 'text', text: 'hola', isCommand: false, addressed: true });
  });
});

describe('reaction → rating (😢 1, 😐 2, 👍 3, 🔥 4, 🤩 5)', () => {
  const r = (...emoji: string[]): ReactionType[] => emoji.map((e) => ({ type: 'emoji', emoji: e }) as ReactionType);
  it('maps the five emoji', () => {
    expect(['😢', '😐', '👍', '🔥', '🤩'].map((e) => ratingFromReactionChange([], r(e)))).toEqual([1, 2, 3, 4, 5]);
  });
  it('removal gives null; unrelated reactions give undefined; a newly added rating wins', () => {
    expect(ratingFromReactionChange(r('🔥'), [])).toBeNull();
    expect(ratingFromReactionChange([], r('❤'))).toBeUndefined();
    expect(ratingFromReactionChange(r('🔥'), r('🔥', '❤'))).toBeUndefined();
    expect(ratingFromReactionChange(r('🔥'), r('🔥', '😢'))).toBe(1);
    expect(ratingFromReactionChange(r('🔥', '😢'), r('🔥'))).toBe(4);
  });
});
