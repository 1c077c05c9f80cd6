// Every translated catalogue has exactly the English keys, the same {{placeholders}} in every string and no
// empty string; the translator picks a language from a code or an IETF tag; and a learner gets the interface
// in their base language, else in their platform's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES, createI18n } from '../../src/core/i18n/index.ts';
import type { CatalogueShape } from '../../src/core/i18n/catalogue-type.ts';
import { en } from '../../src/core/i18n/en.ts';
import { es } from '../../src/core/i18n/es.ts';
import { de } from '../../src/core/i18n/de.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

/** Every string of a catalogue by its dotted key. */
function leaves(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node === null || typeof node !== 'object') {
    out.set(prefix, node);
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    for (const [k, v] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!))].sort();
}

const english = leaves(en);
const translations = Object.entries(CATALOGUES).filter(([code]) => code !== 'en');

describe('message catalogues', () => {
  it('registers Spanish, German, French, Portuguese, Russian and Ukrainian next to English', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(['de', 'en', 'es', 'fr', 'pt', 'ru', 'uk']);
  });

  it('English has only non-empty strings', () => {
    for (const [key, value] of english) {
      expect(typeof value, key).toBe('string');
      expect((value as string).trim(), key).not.toBe('');
    }
  });

  describe.each(translations)('%s', (code, catalogue) => {
    const strings = leaves(catalogue);
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories as string[];
    /** `key_few` → `key_other`: the English string a language's extra plural form stands for. */
    const englishKey = (key: string) => {
      const match = /^(.*)_(zero|two|few|many)$/.exec(key);
      return match && categories.includes(match[2]!) && english.has(`${match[1]}_other`) ? `${match[1]}_other` : key;
    };

    it('has every English key and no other (plus the plural forms its language has)', () => {
      expect([...strings.keys()].filter((k) => !english.has(englishKey(k))), 'keys not in English').toEqual([]);
      expect([...english.keys()].filter((k) => !strings.has(k)), 'English keys missing').toEqual([]);
    });

    it('has every plural form its language uses for each plural key', () => {
      const plurals = [...english.keys()].filter((k) => k.endsWith('_other')).map((k) => k.slice(0, -'_other'.length));
      expect(plurals.length).toBeGreaterThan(10);
      const missing = plurals.flatMap((base) => categories.map((form) => `${base}_${form}`)).filter((k) => !strings.has(k));
      expect(missing).toEqual([]);
    });

    it('has a non-empty string for every key', () => {
      for (const [key, value] of strings) {
        expect(typeof value, key).toBe('string');
        expect((value as string).trim(), key).not.toBe('');
      }
    });

    it('keeps the placeholders of every English string', () => {
      for (const [key, translated] of strings) {
        const value = english.get(englishKey(key));
        if (typeof translated !== 'string' || typeof value !== 'string') continue; // reported by the key test
        expect(placeholders(translated), key).toEqual(placeholders(value));
      }
    });

    it('keeps command names', () => {
      for (const [key, value] of english) {
        const translated = strings.get(key);
        if (typeof translated !== 'string') continue;
        const commands = (text: string) => [...new Set(text.match(/(?<![\w/.])\/[a-z]+(?![\w/])/g) ?? [])].sort();
        expect(commands(translated), key).toEqual(commands(value as string));
      }
    });

    it('keeps button and modal texts within the platforms’ limits', () => {
      const t = catalogue as CatalogueShape;
      const buttons = [
        t.review.showBack, t.review.again, t.review.hard, t.review.good, t.review.easy, t.review.addToDeck,
        t.flashcards.showAnswers, t.exercises.next, t.simulation.endButton, t.saved.saveButton, t.data.forget.button,
        t.telegram.save,
      ];
      for (const label of buttons) expect(label.length, label).toBeLessThanOrEqual(60); // Discord: 80 with the interval
      for (const label of [t.discord.save.modalTitle, t.discord.save.label, t.discord.save.notes]) expect(label.length, label).toBeLessThanOrEqual(45);
      for (const text of [t.discord.save.labelPlaceholder, t.discord.save.notesPlaceholder]) expect(text.length, text).toBeLessThanOrEqual(100);
      for (const text of Object.values(t.commands)) expect(text.length, text).toBeLessThanOrEqual(100);
      for (const text of Object.values(t.options)) expect(text.length, text).toBeLessThanOrEqual(100);
      const callbackTexts = [t.errors.staleButton, t.errors.notAvailable, t.errors.notStarter, t.errors.buttonNotForYou, t.errors.notYourQuestions, t.review.addedOne, t.review.alreadyInDeck, t.data.forget.notYours, t.discord.staleButton];
      for (const text of callbackTexts) expect(text.length, text).toBeLessThanOrEqual(200 - 40); // room for a {{name}}
    });
  });

  it('a missing or extra key does not compile', () => {
    // @ts-expect-error a catalogue without every section is not a CatalogueShape
    const missing: CatalogueShape = { errors: es.errors };
    // @ts-expect-error nor is one with a key English does not have
    const extra: CatalogueShape = { ...es, review: { ...es.review, shuffle: 'Barajar' } };
    // a plural form is accepted only next to an English plural key
    const plural: CatalogueShape = { ...es, counts: { ...es.counts, days_few: '{{count}} días' } };
    // @ts-expect-error and not on a key English does not pluralise
    const notPlural: CatalogueShape = { ...es, exercises: { ...es.exercises, question_many: 'x' } };
    expect([missing, extra, plural, notPlural]).toHaveLength(4);
  });
});

describe('translator', () => {
  const i18n = createI18n();

  it('picks the language from a code or an IETF tag; unknown languages get English', () => {
    expect(i18n.translator('es')('review.showBack')).toBe(es.review.showBack);
    expect(i18n.translator('es-MX')('review.showBack')).toBe('Ver respuesta');
    expect(i18n.translator('pt-BR')('review.showBack')).toBe('Mostrar resposta');
    expect(i18n.translator('uk')('review.showBack')).toBe('Показати відповідь');
    expect(i18n.translator('de_AT')('review.showBack')).toBe('Antwort zeigen');
    expect(i18n.translator('fr-CA')('review.showBack')).toBe('Voir la réponse');
    expect(i18n.translator('ru')('review.showBack')).toBe('Показать ответ');
    expect(i18n.translator('ja')('review.showBack')).toBe(en.review.showBack);
    expect(i18n.translator('xx-YY')('review.showBack')).toBe(en.review.showBack);
    expect(i18n.translator(undefined)('review.showBack')).toBe(en.review.showBack);
    expect(i18n.supports('pt-PT')).toBe(true);
    expect(i18n.supports('ja')).toBe(false);
  });

  it('interpolates, and a count never picks a plural form that does not exist', () => {
    for (const count of [0, 1, 2, 5, 21, 22, 25, 111]) {
      expect(i18n.translator('ru')('review.remaining', { count })).toBe(`Карточек к повторению: ${count}`);
      expect(i18n.translator('uk')('review.remaining', { count })).toBe(`Карток до повторення: ${count}`);
    }
    expect(i18n.translator('de')('errors.noSuchLesson', { number: 7, count: 3 })).toBe('Es gibt keine Lektion 7; dieser Kurs hat 3 Lektionen.');
  });

  it('counts take the plural form of the language: 1 day, 1 saved item, 1 course; 2 вопроса, 5 вопросов', () => {
    const en = i18n.translator('en');
    const ru = i18n.translator('ru');
    const uk = i18n.translator('uk');
    const activity = { days: 30, activeDays: 1, requests: 1, reviews: 2 };
    expect(en('data.stats.activity', activity)).toBe('Last 30 days: active on 1 day, 1 request, 2 reviews.');
    const forget = { saved: 1, cards: 2, reviews: 1, activity: 5, curricula: 1, sessions: 1 };
    expect(en('data.forget.whatGoes', forget)).toContain('settings, 1 saved item, 2 review cards with 1 review, 5 activity entries, 1 course, 1 role-play you started (');
    const moved = { savedItems: 1, cards: 1, reviews: 0, attempts: 3, courses: 1, simulations: 2 };
    expect(en('loop.linkMoved', moved)).toBe('Moved over: 1 saved item, 1 review card, 0 reviews, 3 exercise answers, 1 course, 2 role-plays.');
    expect(en('exercises.intro', { title: 'Food', count: 1 })).toBe('Food: 1 question.');
    expect(en('exercises.intro', { title: 'Food', count: 3 })).toBe('Food: 3 questions. Answer one at a time.');
    // Russian and Ukrainian: one (1, 21), few (2–4, 22), many (5–20, 25, 111).
    expect([1, 2, 5, 21, 22, 25, 111].map((count) => ru('exercises.intro', { title: 'Еда', count }))).toEqual([
      'Еда: 1 вопрос.',
      'Еда: 2 вопроса. Отвечай по одному.',
      'Еда: 5 вопросов. Отвечай по одному.',
      'Еда: 21 вопрос.',
      'Еда: 22 вопроса. Отвечай по одному.',
      'Еда: 25 вопросов. Отвечай по одному.',
      'Еда: 111 вопросов. Отвечай по одному.',
    ]);
    expect([1, 3, 11].map((turns) => ru('simulation.summaryLearner', { name: 'Аня', turns }))).toEqual(['Аня: 1 сообщение', 'Аня: 3 сообщения', 'Аня: 11 сообщений']);
    expect([1, 4, 7].map((count) => uk('data.import.moreSkipped', { count }))).toEqual([
      'Пропущено ще 1 недійсний матеріал.',
      'Пропущено ще 4 недійсні матеріали.',
      'Пропущено ще 7 недійсних матеріалів.',
    ]);
    expect(i18n.translator('de')('loop.linkDuplicates', { count: 1 })).toMatch(/^1 Karte war in beiden Stapeln/);
    expect(i18n.translator('fr')('data.stats.activity', { days: 30, activeDays: 1, requests: 2, reviews: 1 })).toBe('30 derniers jours : 1 jour d’activité, 2 demandes, 1 révision.');
  });
});

describe('interface language of a learner', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await t.close();
  });

  it('follows the platform locale, then the base language the learner chose', async () => {
    const greta = incomingFrom(t.logger, { id: 'greta', name: 'Greta', locale: 'de' });
    const send = async (text: string) => replyText(await t.frontDoor.text(greta, text, { addressed: true }));

    const help = await send('/help');
    expect(help).toContain(`${de.start.commandsTitle}:`);
    expect(help).toContain(`/review — ${de.commands.review}`);
    expect(help).toContain(de.start.syntax);
    expect(help).not.toContain(en.commands.review);

    const settings = await send('/settings base:es');
    expect(settings).toContain(es.settings.updated);
    expect(settings).toContain(es.settings.title);

    const helpAfter = await send('/help');
    expect(helpAfter).toContain(`${es.start.commandsTitle}:`);
    expect(helpAfter).toContain(`/review — ${es.commands.review}`);
    expect(helpAfter).not.toContain(de.commands.review);

    expect(await send('/rate 9')).toBe('rating debe ser un número entero del 1 al 5.');
    expect(await send('/fly')).toBe('No conozco el comando /fly. Escribe /help para ver lo que sé hacer.');
  });

  it('is English for a platform language without a catalogue', async () => {
    const kenji = incomingFrom(t.logger, { id: 'kenji', name: 'Kenji', locale: 'ja' });
    const help = replyText(await t.frontDoor.text(kenji, '/help', { addressed: true }));
    expect(help).toContain(`/review — ${en.commands.review}`);
  });
});
