// The shared text syntax and the button codec.
import { describe, expect, it } from 'vitest';
import { parseCommandText, parseTextArgs, validateArgs } from '../../src/commands/arguments.ts';
import { COMMANDS } from '../../src/commands/registry.ts';
import { decodeAction, encodeAction, MAX_ACTION_BYTES, type ActionPayload } from '../../src/core/actions.ts';
import { UserFacingError } from '../../src/core/errors.ts';

const command = (name: string) => COMMANDS.find((c) => c.name === name)!;
const parse = (text: string) => {
  const parsed = parseCommandText(text)!;
  const def = command(parsed.name);
  return validateArgs(def, parseTextArgs(def, parsed.body));
};

describe('text syntax', () => {
  it('splits free text and key:value options', () => {
    expect(parse('/flashcards kitchen words for a chef lang:es level:B1 count:8')).toEqual({
      topic: 'kitchen words for a chef',
      lang: 'es',
      level: 'B1',
      count: 8,
    });
    expect(parse('/settings lang:Spanish base:English level:advanced')).toEqual({ lang: 'es', base: 'en', level: 'C1' });
    expect(parse('/flashcards lang:fr at the airport')).toEqual({ lang: 'fr', topic: 'at the airport' });
  });

  it('keeps colons that are not options as text', () => {
    expect(parse('/flashcards time: half past 5 and 10:30 http://x.y')).toEqual({ topic: 'time: half past 5 and 10:30 http://x.y' });
  });

  it('free-text options run to the next option', () => {
    expect(parse('/save kitchen set notes:great words for work')).toEqual({ label: 'kitchen set', notes: 'great words for work' });
  });

  it('fills positional options in order', () => {
    expect(parse('/lesson 2 exercises')).toEqual({ number: 2, part: 'exercises' });
    expect(parse('/saved 3')).toEqual({ item: 3 });
    expect(parse('/rate 4')).toEqual({ rating: 4 });
  });

  it('handles /cmd@BotName', () => {
    expect(parseCommandText('/flashcards@TutorBot fruit')).toEqual({ name: 'flashcards', mention: 'TutorBot', body: 'fruit' });
    expect(parseCommandText('hello')).toBeUndefined();
  });

  it('refuses malformed input with user-facing errors', () => {
    for (const bad of ['/rate 0', '/rate 6', '/rate x', '/flashcards', '/flashcards a count:0', '/settings corrections:perhaps', '/saved abc', '/lesson two']) {
      expect(() => parse(bad), bad).toThrow(UserFacingError);
    }
  });
});

describe('button codec', () => {
  const samples: ActionPayload[] = [
    { kind: 'rate', generationId: 2_147_483_647, rating: 5 },
    { kind: 'save', generationId: 1 },
    { kind: 'reveal', generationId: 99, card: 0 },
    { kind: 'answer', generationId: 2_147_483_647, question: 19, choice: 4, owner: 2_147_483_647 },
    { kind: 'question', generationId: 5, question: 1, owner: 0 },
    { kind: 'end', sessionId: 12 },
  ];
  it('round-trips every kind within 64 bytes', () => {
    for (const payload of samples) {
      const data = encodeAction(payload);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_ACTION_BYTES);
      expect(decodeAction(data)).toEqual(payload);
    }
  });
  it('rejects forged or stale payloads', () => {
    for (const bad of ['', '1', '1|z|1', '2|r|1|3', '1|r|1|6', '1|r|-1|3', '1|r|1.5|3', '1|s|1|2', `1|s|${'9'.repeat(40)}`]) {
      expect(decodeAction(bad), bad).toBeUndefined();
    }
  });
});

describe('command registry', () => {
  it('every command has a translated description and valid option names', () => {
    for (const c of COMMANDS) {
      expect(c.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const o of c.options) {
        expect(o.name).toMatch(/^[a-z0-9_-]{1,32}$/);
        expect(o.description.length).toBeLessThanOrEqual(100);
      }
    }
  });
});
