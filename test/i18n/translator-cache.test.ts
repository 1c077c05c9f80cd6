// Translators reuse texts i18next resolved before (src/core/i18n/index.ts): the reused text must be exactly
// what i18next gives for the same catalogue, key and parameters, and never another call's text.
import { describe, expect, it } from 'vitest';
import { createI18n, createI18nextInstance, type MessageKey } from '../../src/core/i18n/index.ts';

/** i18next itself, with no text reused. */
const reference = (locale: string) => createI18nextInstance().getFixedT(locale);

const calls: Array<[MessageKey, Record<string, string | number>?]> = [
  ['counts.days', { count: 1 }],
  ['counts.days', { count: 2 }],
  ['counts.days', { count: 5 }],
  ['counts.days', { count: 21 }],
  ['counts.cards', { count: '1' }],
  ['counts.cards', { count: 1 }],
  ['telegram.rateButton', { emoji: '⭐', rating: 3 }],
  ['telegram.rateButton', { emoji: '⭐', rating: 4 }],
  ['telegram.save'],
  ['counts.days', { count: 3, extra: 'x'.repeat(200) }],
];

describe('translator texts reused', () => {
  it.each(['en', 'es', 'de', 'fr', 'pt', 'ru', 'uk', 'pt-BR', 'zh'])('equal to i18next on first and later calls (%s)', (locale) => {
    const t = createI18n().translator(locale);
    const expected = reference(locale.split('-')[0]!);
    for (let round = 0; round < 3; round++) {
      for (const [key, params] of calls) expect(t(key, params)).toBe(expected(key, params ?? {}));
    }
  });

  it('a parameter that imitates the key separator is never confused with other parameters', () => {
    const t = createI18n().translator('en');
    const plain = t('telegram.rateButton', { emoji: '1', rating: 2 });
    expect(t('telegram.rateButton', { emoji: '1\u0000rating\u0001n2' } as unknown as Record<string, string>)).not.toBe(plain);
  });
});
