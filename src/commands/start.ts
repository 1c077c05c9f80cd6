import { languageName } from '../core/language.ts';
import type { Reply } from '../core/types.ts';
import type { CommandContext } from './context.ts';
import { defineCommand, type AnyCommand } from './define.ts';

/** The welcome text; lists every command with its translated description. */
export function welcome(ctx: CommandContext, commands: readonly AnyCommand[]): Reply {
  const { t, learner } = ctx;
  const lines = [
    t('start.welcome', { name: learner.displayName }),
    t('start.current', {
      target: languageName(learner.targetLanguage, learner.baseLanguage),
      base: languageName(learner.baseLanguage, learner.baseLanguage),
      level: learner.level,
      corrections: learner.correctionsEnabled ? t('settings.on') : t('settings.off'),
    }),
    learner.hasChosenTarget ? t('start.tryThis') : t('start.chooseLanguage'),
  ];
  const help = commands.map((c) => `/${c.name} — ${t(`commands.${c.name}` as Parameters<typeof t>[0])}`).join('\n');
  return {
    blocks: [
      { kind: 'text', text: lines.join('\n\n') },
      { kind: 'text', text: `${t('start.commandsTitle')}:\n${help}\n\n${t('start.syntax')}` },
    ],
  };
}

export const startCommand = defineCommand({
  name: 'start',
  description: 'Welcome and what I can do',
  options: [],
  async run(ctx) {
    return [welcome(ctx, ctx.commands)];
  },
});

export const helpCommand = defineCommand({
  name: 'help',
  description: 'List the commands',
  options: [],
  async run(ctx) {
    return [welcome(ctx, ctx.commands)];
  },
});
