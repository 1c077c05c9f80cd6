// Options shared by several commands. Descriptions are English here (Discord registration needs plain
// strings ≤ 100 characters); the help text shows the translated ones from the catalogue.
import type { CefrLevel } from '../core/language.ts';
import { TOPIC_MAX_LENGTH } from '../core/services/generation.ts';

export const topicOption = {
  name: 'topic',
  description: 'What it should be about',
  type: 'string',
  required: true,
  rest: true,
  minLength: 1,
  maxLength: TOPIC_MAX_LENGTH,
} as const;

export const languageOptions = [
  { name: 'lang', description: 'Language to learn (e.g. es, Spanish)', type: 'language' },
  { name: 'base', description: 'Your language for explanations (e.g. en)', type: 'language' },
  { name: 'level', description: 'Level: A1–C2 or beginner/intermediate/advanced', type: 'level' },
] as const;

/** The topic and language options the generating commands share, as the services take them. */
export function topicRequest(args: { topic: string; lang: string | undefined; base: string | undefined; level: CefrLevel | undefined }) {
  return { topic: args.topic, targetLanguage: args.lang, baseLanguage: args.base, level: args.level };
}
