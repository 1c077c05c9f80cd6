// Content that fits the learner (issue 14), through the real front door with the real openai SDK against the
// fake OpenAI server and a real SQLite file: what the fake model received, and what the learner sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import { TUTOR_SYSTEM_PROMPT } from '../../src/core/content/prompts.ts';
import { normaliseItem } from '../../src/core/content/known-items.ts';
import { LEVEL_MIN_ANSWERS } from '../../src/core/services/levels.ts';
import type { Reply } from '../../src/core/types.ts';
import { KNOWN_WORD, personalContent, practisedWords } from '../support/personal-responder.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';

let t: TestCore;
let now: Date;

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
const ben = () => incomingFrom(t.logger, { id: 'ben', name: 'Ben' }, { id: 'chat-ana' });
const say = async (text: string, who = ana()) => (await t.frontDoor.text(who, text, { addressed: true })) ?? [];
const press = async (data: string, who = ana()) => t.frontDoor.action(who, data);
const buttons = (replies: Reply[]) => replies.flatMap((r) => (r.buttons ?? []).flat());
const requestsFor = (schema: string) => t.openai!.requests.filter((r) => r.schemaName === schema);

/** Grades every due card Again, through /review's own buttons (front → Show back → Again). */
async function failEveryDueCard(): Promise<number> {
  let graded = 0;
  let replies = await say('/review');
  for (;;) {
    const flip = buttons(replies).find((b) => decodeAction(b.data)?.kind === 'flip');
    if (!flip) return graded;
    const back = await press(flip.data);
    const again = buttons(back).find((b) => { const a = decodeAction(b.data); return a?.kind === 'grade' && a.grade === 1; })!;
    replies = await press(again.data);
    graded += 1;
  }
}

describe.each(PROVIDERS)('on $name', ({ create, skip }) => {
  let database: TestDatabase | undefined;
  beforeEach(async ({ skip: skipTest }) => {
    if (skip) return skipTest(skip);
    now = new Date('2026-11-02T09:00:00Z');
    database = await create();
    t = await createTestCore({ clock: () => now, database });
    t.openai!.respondWith(personalContent);
  });
  afterEach(async () => {
    if (skip) return;
    await t.close();
    await database?.drop();
  });

  describe('nothing they already know', () => {
    it('a new /flashcards never shows a deck word the model returns anyway, asks once for the missing card, and passes the known words after the shared prefix', async () => {
      await say('/settings lang:es base:en level:A2');
      // Positive control: before it is in the deck, the model's "La cebolla" is shown.
      expect(replyText(await say('/flashcards vegetables count:3'))).toContain('La cebolla');
      expect(replyText(await say('/save veg'))).toContain('#1');
      const before = requestsFor('flashcards').length;

      const cards = await say('/flashcards kitchen words count:3');
      const shown = replyText(cards);
      expect(shown.toLowerCase()).not.toContain('cebolla');
      const card = cards[0]!.blocks[0]!;
      expect(card.kind === 'card' && card.fields.length).toBe(3); // the follow-up filled the missing card

      const sent = requestsFor('flashcards').slice(before);
      expect(sent).toHaveLength(2); // the set, then ONE request for the missing number
      for (const request of sent) {
        expect(request.messages[0]!.content).toBe(TUTOR_SYSTEM_PROMPT); // the shared prefix stays first and unchanged
        const task = request.messages.at(-1)!.content;
        const about = task.indexOf('About this learner:');
        expect(about).toBeGreaterThan(task.indexOf('Topic:'));
        expect(task.slice(about).toLowerCase()).toContain(KNOWN_WORD); // the deck holds "La cebolla"
      }
      expect(sent[1]!.messages.at(-1)!.content).toContain('Number of cards: exactly 1.');
    });

    it('a card saved through another process counts at the next request here (each request checks the deck)', async () => {
      const other = await createTestCore({ clock: () => now, database });
      other.openai!.respondWith(personalContent);
      try {
        const knownInPrompt = () => {
          const task = requestsFor('flashcards').at(-1)!.messages.at(-1)!.content;
          return task.slice(task.indexOf('About this learner:')).toLowerCase();
        };
        await say('/settings lang:es base:en level:A2');
        await say('/flashcards kitchen words count:3');
        await say('/save first');
        // This process reads Ana's deck (and keeps it) before the other one changes it.
        await say('/flashcards kitchen words count:3');
        expect(knownInPrompt()).toContain('el cuchillo');
        expect(knownInPrompt()).not.toContain('la olla');

        const elsewhere = (text: string) => other.frontDoor.text(ana(), text, { addressed: true });
        expect(replyText((await elsewhere('/flashcards kitchen words count:3')) ?? []).toLowerCase()).toContain('la olla');
        expect(replyText((await elsewhere('/save second')) ?? [])).toContain('#2');

        await say('/flashcards kitchen words count:3');
        expect(knownInPrompt()).toContain('la olla');
      } finally {
        await other.close();
      }
    });

    it('normalises case, articles and punctuation but keeps accents', () => {
      expect(normaliseItem('¡La  Cebolla!', 'es')).toBe('cebolla');
      expect(normaliseItem('die Zwiebel', 'de')).toBe('zwiebel');
      expect(normaliseItem("l'oignon", 'fr')).toBe('oignon');
      expect(normaliseItem('The onion', 'en')).toBe('onion');
      expect(normaliseItem('papá', 'es')).not.toBe(normaliseItem('papa', 'es'));
      expect(normaliseItem('a menudo', 'es')).toBe('a menudo'); // "a" is no Spanish article
    });
  });

  describe('their weak words back', () => {
    async function deckWithThreeFailedCards() {
      await say('/settings lang:es base:en level:A2');
      await say('/flashcards vegetables count:3');
      await say('/save');
      expect(await failEveryDueCard()).toBe(3);
      now = new Date(now.getTime() + 15 * 60_000); // Again: due again within minutes
      expect(await failEveryDueCard()).toBe(3);
      return t.prisma.reviewCard.findMany();
    }

    it('3 cards failed twice in /review: at least 2 of 5 questions use them, and the reply says so', async () => {
      const deck = await deckWithThreeFailedCards();
      expect(deck.every((c) => c.reps === 2)).toBe(true);

      const replies = await say('/exercises kitchen count:5');
      expect(replyText(replies)).toContain('Includes 2 words you are practising.');
      const request = requestsFor('exercises').at(-1)!;
      expect(request.messages[0]!.content).toBe(TUTOR_SYSTEM_PROMPT);
      const practised = practisedWords(request.messages.at(-1)!.content)!;
      expect(practised.words.sort()).toEqual(deck.map((c) => c.front).sort());
      expect(practised.atLeast).toBe(2);
      const generation = await t.prisma.generation.findFirstOrThrow({ where: { contentType: 'exercises' }, orderBy: { id: 'desc' } });
      const questions = (generation.content as { questions: Array<{ prompt: string }> }).questions;
      expect(questions).toHaveLength(5);
      expect(questions.filter((q) => deck.some((c) => q.prompt.includes(c.front))).length).toBeGreaterThanOrEqual(2);

      // The role-play opening invites them too.
      const scenario = await say('/simulate at the market');
      expect(requestsFor('scenario').at(-1)!.messages.at(-1)!.content).toContain('Invite them');
      await say('/end');
      expect(scenario.length).toBeGreaterThan(0);

      // Turned off: no list in the prompt, no note; turned on again: both are back (the positive control).
      expect(replyText(await say('/settings practice-weak:off'))).toMatch(/Weak words back in exercises and role-plays: off/);
      const off = await say('/exercises kitchen count:5');
      expect(replyText(off)).not.toContain('practising');
      expect(requestsFor('exercises').at(-1)!.messages.at(-1)!.content).not.toContain('Words the learner is practising');
      expect((await t.prisma.user.findFirstOrThrow()).practiceWeak).toBe(false);
      await say('/settings practice-weak:on');
      expect(replyText(await say('/exercises kitchen count:5'))).toContain('Includes 2 words you are practising.');
    });

    it('in the learner\'s language', async () => {
      await deckWithThreeFailedCards();
      await say('/settings base:es');
      expect(replyText(await say('/exercises cocina count:5'))).toContain('Incluye 2 palabras que estás practicando.');
    });

    it('fewer than 3 weak cards: exercises are not personalised', async () => {
      await say('/settings lang:es base:en level:A2');
      await say('/flashcards vegetables count:2');
      await say('/save');
      expect(await failEveryDueCard()).toBe(2);
      expect(replyText(await say('/exercises kitchen count:5'))).not.toContain('practising');
      expect(requestsFor('exercises').at(-1)!.messages.at(-1)!.content).not.toContain('practising');
    });
  });

  describe('a level that follows the learner', () => {
    /** Answers every question of a new set with choice `choice` (the fake puts the right answer first). */
    async function answerSet(count: number, choice: number, who = ana()): Promise<Reply[]> {
      let replies = await say(`/exercises kitchen count:${count}`, who);
      let last: Reply[] = [];
      for (let i = 0; i < count; i++) {
        const answer = buttons(replies).find((b) => { const a = decodeAction(b.data); return a?.kind === 'answer' && a.question === i && a.choice === choice; })!;
        last = await press(answer.data, who);
        replies = last;
      }
      return last;
    }
    const levelButton = (replies: Reply[]) => buttons(replies).find((b) => decodeAction(b.data)?.kind === 'level');

    it('> 90 % of 20 answers proposes the next level once; only that learner can accept; nothing changes without consent', async () => {
      await say('/settings lang:es base:en level:A2');
      const first = await answerSet(10, 0);
      expect(levelButton(first)).toBeUndefined(); // 10 answers: too few
      const second = await answerSet(LEVEL_MIN_ANSWERS - 10, 0);
      expect(replyText(second)).toContain('You answered 100 % of your last 20 exercise questions at A2 right. Ready for B1?');
      const button = levelButton(second)!;
      expect(button.label).toBe('Switch to B1');
      expect((await t.prisma.user.findFirstOrThrow({ where: { displayName: 'Ana' } })).level).toBe('A2'); // no consent yet

      // Someone else pressing it gets exactly what a button for nothing gets, and changes nothing.
      const anaId = decodeAction(button.data)!.kind === 'level' ? (decodeAction(button.data) as { userId: number }).userId : 0;
      const missing = replyText(await press(encodeAction({ kind: 'level', userId: 999_999, level: 3 }), ben()));
      expect(replyText(await press(button.data, ben()))).toBe(missing);
      expect(missing).toContain('not available');
      const benId = (await t.prisma.user.findFirstOrThrow({ where: { displayName: 'Ben' } })).id;
      expect(replyText(await press(encodeAction({ kind: 'level', userId: benId, level: 3 }), ben()))).toBe(missing); // no proposal for Ben
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: anaId } })).level).toBe('A2');
      // A forged level for Ana herself (C2 instead of the proposed B1) is refused alike.
      expect(replyText(await press(encodeAction({ kind: 'level', userId: anaId, level: 6 })))).toBe(replyText(await press(encodeAction({ kind: 'level', userId: 999_999, level: 6 }))));

      // Once: another good set at A2 proposes nothing new.
      expect(levelButton(await answerSet(5, 0))).toBeUndefined();

      const accepted = await press(button.data);
      expect(replyText(accepted)).toContain('Your level is now B1.');
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: anaId } })).level).toBe('B1');
      expect(replyText(await say('/settings'))).toContain('B1');
    });

    it('< 50 % proposes the previous level', async () => {
      await say('/settings lang:es base:en level:B1');
      await answerSet(10, 1);
      const second = await answerSet(10, 1);
      expect(replyText(second)).toContain('may suit you better');
      expect(levelButton(second)!.label).toBe('Switch to A2');
    });
  });
});
