// Shared pieces of the learning-loop tests: a controllable clock, a Notifier that records what it was asked
// to send, and cores that share one database (as several bot processes would).
import type { DeliveryResult, DeliveryTarget, Notifier, Reply } from '../../src/core/types.ts';
import type { Db } from '../../src/core/db/client.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import type { TestDatabase } from '../support/databases.ts';
import { replyText } from '../support/incoming.ts';

export interface TestClock {
  now: Date;
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(iso: string): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = new Date(iso);
  clock.set = (at) => (clock.now = new Date(at));
  clock.advance = (ms) => (clock.now = new Date(clock.now.getTime() + ms));
  return clock;
}

export interface RecordingNotifier extends Notifier {
  sends: Array<{ target: DeliveryTarget; text: string }>;
  /** What the next sends report (default 'sent'); a queue is used up first. */
  results: DeliveryResult[];
}

export function recordingNotifier(): RecordingNotifier {
  const notifier: RecordingNotifier = {
    sends: [],
    results: [],
    async send(target: DeliveryTarget, replies: Reply[]) {
      // A little latency, so two processes' ticks really overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      notifier.sends.push({ target, text: replyText(replies) });
      return notifier.results.shift() ?? 'sent';
    },
  };
  return notifier;
}

/** Two cores (two "bot processes", each with its own fake OpenAI server) on the same database. */
export async function twoCores(database: TestDatabase, clock: TestClock): Promise<[TestCore, TestCore]> {
  const a = await createTestCore({ database, clock });
  const b = await createTestCore({ database, clock });
  return [a, b];
}

/** Cards due at `due` for a learner, without going through the LLM. */
export async function addDueCards(prisma: Db, userId: number, count: number, due: Date): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await prisma.reviewCard.create({ data: { userId, source: 'flashcard', front: `palabra ${i}`, back: `word ${i}`, due } });
  }
}
