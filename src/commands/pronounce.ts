import { defineCommand } from './define.ts';
import { scopeOf } from './scope.ts';
import { SPEAK_MAX_CHARS } from '../core/services/voice.ts';

export const pronounceCommand = defineCommand({
  name: 'pronounce',
  description: 'Hear a word or sentence spoken: /pronounce <text> [lang:…]',
  slow: true,
  options: [
    { name: 'text', description: 'The word or sentence to hear', type: 'string', required: true, rest: true, minLength: 1, maxLength: SPEAK_MAX_CHARS },
    { name: 'lang', description: 'Its language (default: the one you learn)', type: 'language' },
  ],
  async run(ctx, args) {
    const language = args.lang ?? ctx.learner.targetLanguage;
    const voice = await ctx.services.voice.speak(scopeOf(ctx), args.text, language, 'pronounce.ogg');
    return [{ blocks: [{ kind: 'text', text: `🔊 ${args.text}` }], voice }];
  },
});
