// Scores the wrong-language rule (src/core/language/wrong-language.ts) with one language identifier on the
// labelled set: shared by the test (the bot's detector) and the bench (every detector compared).
import type { LanguageIdentifier } from '../../src/core/language/detector.ts';
import { isLongEnough, judgeLanguage } from '../../src/core/language/wrong-language.ts';

export interface WrongLanguageScore {
  sentences: number;
  /** Sentences below the length rule: never judged alone. */
  tooShort: number;
  /** Share of the judged sentences whose top language is their own. */
  accuracy: number;
  clearCases: number;
  caught: number;
  falseAlarms: number;
  falseAlarmSamples: string[];
  precision: number;
  recall: number;
  hardFlagged: number;
  /** Missed cases by "text language→declared language". */
  missedByPair: Record<string, number>;
}

export function scoreWrongLanguage(
  identifier: LanguageIdentifier,
  sentences: Readonly<Record<string, readonly string[]>>,
  hardCases: ReadonlyArray<{ declared: string; text: string }>,
): WrongLanguageScore {
  const languages = Object.keys(sentences);
  let total = 0;
  let tooShort = 0;
  let identified = 0;
  let clearCases = 0;
  let caught = 0;
  let falseAlarms = 0;
  const falseAlarmSamples: string[] = [];
  const missedByPair: Record<string, number> = {};
  for (const [language, list] of Object.entries(sentences)) {
    for (const text of list) {
      total += 1;
      if (!isLongEnough(text)) {
        tooShort += 1;
        continue;
      }
      if (identifier.identify(text).language === language) identified += 1;
      for (const declared of languages) {
        const counterpart = declared === 'en' ? 'es' : 'en';
        const flagged = judgeLanguage(identifier, text, declared, counterpart) !== undefined;
        if (declared === language) {
          if (flagged) {
            falseAlarms += 1;
            falseAlarmSamples.push(`${declared}: ${text}`);
          }
        } else {
          clearCases += 1;
          if (flagged) caught += 1;
          else missedByPair[`${language}→${declared}`] = (missedByPair[`${language}→${declared}`] ?? 0) + 1;
        }
      }
    }
  }
  const hardFlagged = hardCases.filter((h) => judgeLanguage(identifier, h.text, h.declared, h.declared === 'en' ? 'es' : 'en') !== undefined).length;
  const judged = total - tooShort;
  return {
    sentences: total,
    tooShort,
    accuracy: judged ? identified / judged : 0,
    clearCases,
    caught,
    falseAlarms,
    falseAlarmSamples,
    precision: caught + falseAlarms ? caught / (caught + falseAlarms) : 1,
    recall: clearCases ? caught / clearCases : 0,
    hardFlagged,
    missedByPair,
  };
}
