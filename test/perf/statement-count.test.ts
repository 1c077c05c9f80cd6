// How many SQL statements a command costs, counted at the driver adapter (every statement Prisma sends,
// inside transactions too), on the path an adapter takes: the command through the front door, each reply
// recorded as sent (frontDoor.sent), then the translator for the adapter's own words. A regression fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom } from '../support/incoming.ts';
import type { Incoming } from '../../src/commands/front-door.ts';

let statements: string[] = [];
let tc: TestCore;
let incoming: Incoming;

beforeAll(async () => {
  tc = await createTestCore({ onQuery: (sql) => statements.push(sql), env: { ACTIVITY_LOG_MAX_AGE_MS: '600000' } });
  incoming = incomingFrom(tc.logger, { id: 'counted', name: 'Ana' });
});
afterAll(async () => {
  await tc.close();
});

/** The statements one command costs, as an adapter runs it. */
async function cost(text: string): Promise<string[]> {
  statements = [];
  const replies = await tc.frontDoor.text(incoming, text, { addressed: true });
  let n = 0;
  for (const reply of replies ?? []) await tc.frontDoor.sent({ platform: 'console', chatId: incoming.conversation.chatId, messageId: `m${++n}-${Date.now()}` }, reply);
  await tc.frontDoor.translator(incoming);
  return statements;
}

describe('SQL statements per command (an existing learner)', () => {
  it('/flashcards costs at most 5 statements; a role-play turn at most 8', async () => {
    await cost('/start');
    await cost('/flashcards warm-up count:2'); // the activity log's first entry is written at once; later ones in batches
    const flashcards = await cost('/flashcards kitchen words count:3');
    await cost('/simulate ordering at a bakery');
    await cost('Hola, quiero pan'); // a learner's first line also makes them a participant
    const turn = await cost('Una barra, por favor');
    console.info(`[statements] /flashcards: ${flashcards.length}\n  ${flashcards.join('\n  ')}\n[statements] role-play turn: ${turn.length}\n  ${turn.join('\n  ')}`);
    // 5, not 4: issue 14 reads the learner's known words and weak cards for personalisation, in ONE statement
    // (the deck's fingerprint; the cards themselves only when it changed); issue 11 allows this one more.
    expect(flashcards.length).toBeLessThanOrEqual(5);
    expect(flashcards.filter((sql) => sql.includes('review_cards'))).toHaveLength(1);
    expect(turn.length).toBeLessThanOrEqual(8);
  });
});

describe('a learner with a deck', () => {
  it('reads the cards again only after the deck changed; otherwise its fingerprint alone', async () => {
    await cost('/flashcards kitchen words count:3');
    await cost('/save kitchen'); // three cards in the deck now
    const reads = (sqls: string[]) => sqls.filter((sql) => sql.includes('review_cards')).map((sql) => (sql.includes('count(*)') ? 'fingerprint' : 'cards'));
    expect(reads(await cost('/flashcards kitchen tools count:3'))).toEqual(['fingerprint', 'cards']);
    const again = await cost('/flashcards kitchen tools count:3');
    expect(reads(again)).toEqual(['fingerprint']);
    expect(again.length).toBeLessThanOrEqual(5);
    await cost('/save tools');
    expect(reads(await cost('/flashcards the market count:3'))).toEqual(['fingerprint', 'cards']);
  });
});
