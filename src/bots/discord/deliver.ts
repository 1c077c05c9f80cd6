// Sends a command's Replies through a target and does what each Reply asks for afterwards: tell the
// front door which message carries it (what a rating reaction names), open or close a simulation thread.
import type { Incoming } from '../../commands/front-door.ts';
import type { Translator } from '../../core/i18n/index.ts';
import type { Reply } from '../../core/types.ts';
import type { DiscordContext } from './context.ts';
import { describeError } from './errors.ts';
import { messageRef } from './incoming.ts';
import { renderReply } from './render.ts';
import type { ReplyTarget } from './targets.ts';
import { closeThreadIfAny, openSimulationThread } from './threads.ts';
import type { SentMessage } from './webhook-messages.ts';

/** Where replies go and who logs: an incoming update, or the chat of a message the bot sends on its own. */
export type DeliveryScope = Pick<Incoming, 'log' | 'conversation'>;

export async function deliverReplies(
  ctx: DiscordContext,
  scope: DeliveryScope,
  t: Translator,
  target: ReplyTarget,
  replies: readonly Reply[],
): Promise<void> {
  try {
    for (const reply of replies) {
      const sent: SentMessage[] = [];
      for (const [i, message] of renderReply(reply, t).entries()) {
        sent.push(await target.send(message, { replaceOrigin: !!reply.replaceOrigin && i === 0 }));
      }
      await afterSend(ctx, scope, t, target, reply, sent);
    }
  } finally {
    await target.finish();
  }
}

async function afterSend(
  ctx: DiscordContext,
  scope: DeliveryScope,
  t: Translator,
  target: ReplyTarget,
  reply: Reply,
  sent: SentMessage[],
): Promise<void> {
  const first = sent[0];
  if (!first) return;
  if (reply.rateGenerationId !== undefined || reply.simulationSessionId !== undefined || reply.openThread) {
    for (const message of sent) {
      try {
        await ctx.frontDoor.sent(messageRef(message.channelId, message.id), reply);
      } catch (error) {
        scope.log.error({ error: describeError(error) }, 'discord: frontDoor.sent failed');
      }
    }
  }
  if (reply.openThread) await openSimulationThread(ctx, scope, t, target, first, reply.openThread);
  if (reply.closeThread) await closeThreadIfAny(ctx, scope);
}
