// Shows an answer while the model still writes it, in one message edited with the content so far at most once
// per 1.5 s (the shared pacing of ../progress-pump.ts: one edit in flight, only the newest view, none queued),
// rendered within Discord's embed limits and without components. A slash command's message is its deferred
// reply ("thinking…"); a message in a chat (a role-play turn in a thread) gets a reply that is created by the
// first view and edited by the next ones. The final reply's edit of that same message then brings the buttons,
// the rating row among them.
import type { InteractionEditReplyOptions, Message, MessageEditOptions, MessageReplyOptions, RepliableInteraction } from 'discord.js';
import type { Logger } from '../../logger.ts';
import type { Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { renderReply } from './render.ts';
import { describeError } from './errors.ts';
import { startProgressPump } from '../progress-pump.ts';

export const PROGRESS_EDIT_INTERVAL_MS = 1500;
/**
 * No progress view for an answer ready within this time: a fast model's reply arrives as one final edit (or one
 * message), with no 1.5 s wait between a progress edit and the final one.
 */
export const PROGRESS_GRACE_MS = 1000;

export interface DiscordProgress {
  show(view: Reply): void;
  /** Stops, waits for the edit in flight and for the interval, so the final edit keeps to it too. */
  finish(): Promise<void>;
}

type ProgressBody = InteractionEditReplyOptions & MessageEditOptions;

/** Progress in a slash command's deferred reply. */
export function startInteractionProgress(interaction: RepliableInteraction, translator: () => Promise<Translator>, log: Logger): DiscordProgress {
  return startDiscordProgress((body) => interaction.editReply(body), translator, log);
}

/** Progress in a reply to the learner's message; `message()` is that reply once the first view was shown. */
export function startMessageProgress(
  replyTo: Message,
  translator: () => Promise<Translator>,
  log: Logger,
): DiscordProgress & { message(): Message | undefined } {
  let shown: Message | undefined;
  const progress = startDiscordProgress(
    async (body) => {
      if (shown) return shown.edit(body);
      shown = await replyTo.reply({ ...body, failIfNotExists: false } as MessageReplyOptions);
      return shown;
    },
    translator,
    log,
  );
  return { ...progress, message: () => shown };
}

function startDiscordProgress(edit: (body: ProgressBody) => Promise<unknown>, translator: () => Promise<Translator>, log: Logger): DiscordProgress {
  const pump = startProgressPump<ProgressBody>({
    graceMs: PROGRESS_GRACE_MS,
    intervalMs: () => PROGRESS_EDIT_INTERVAL_MS,
    translator,
    onNoTranslator: () => undefined, // no progress then; the final reply comes as usual
    render(view, t) {
      const [first] = renderReply({ blocks: view.blocks }, t);
      if (!first) return undefined;
      return { content: first.content ?? '', embeds: first.embeds, components: [], allowedMentions: { parse: [], repliedUser: false } };
    },
    same: (a, b) => a.content === b.content && JSON.stringify(a.embeds) === JSON.stringify(b.embeds),
    async send(body) {
      await edit(body);
    },
    onSendError(err, control) {
      // The interaction expired or the message is gone: the final reply deals with it; no more progress.
      log.info({ err: describeError(err) }, 'discord: progress edit failed');
      control.stop();
    },
  });
  return {
    show: (view) => pump.show(view),
    // Waits for the edit in flight and for the interval, so the final edit keeps to it too.
    finish: () => pump.finish(() => true),
  };
}
