import type { Translator } from '../core/i18n/index.ts';
import type { Learner } from '../core/services/learners.ts';
import type { Services } from '../core/services/index.ts';
import type { Incoming } from './front-door.ts';
import type { AnyCommand } from './define.ts';
import type { IncomingAttachment } from '../core/types.ts';

/** What a command handler receives besides its arguments. */
export interface CommandContext extends Incoming {
  /** The learner behind the platform user (created on first contact). */
  learner: Learner;
  /** Fixed strings in the learner's interface language. */
  t: Translator;
  services: Services;
  /** Every registered command (for help). */
  commands: readonly AnyCommand[];
  /** The translator for an updated learner (after /settings changed the base language). */
  retranslate(learner: Learner): Promise<Translator>;
  /** The file sent with the command, if any (see OptionType 'attachment'). */
  attachment?: IncomingAttachment;
}
