// Slash commands, buttons, modal submissions and autocomplete. Every interaction is acknowledged before
// anything slow happens (Discord's 3-second rule); the real work follows, answered through the webhook.
import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { AnyCommand } from '../../commands/define.ts';
import type { Incoming } from '../../commands/front-door.ts';
import { decodeAction } from '../../core/actions.ts';
import type { Reply } from '../../core/types.ts';
import { downloadAttachment, downloadProblem, type Download } from './attachments.ts';
import type { DiscordContext } from './context.ts';
import { deliverReplies } from './deliver.ts';
import { describeError, isExpiredInteraction } from './errors.ts';
import { incomingFromInteraction } from './incoming.ts';
import { suggestLanguages } from './languages.ts';
import { decodeOptions, findCommand, isPrivateCommand } from './options.ts';
import { buildSaveModal, isSaveModal, saveArgs } from './save-modal.ts';
import { interactionTarget, note } from './targets.ts';
import { startInteractionProgress } from './progress.ts';

/** A modal cannot be deferred: wait this long at most for the learner's translator before showing it. */
const MODAL_TRANSLATOR_TIMEOUT_MS = 1_000;

export async function handleInteraction(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) return handleSlashCommand(ctx, interaction);
  if (interaction.isAutocomplete()) return handleAutocomplete(ctx, interaction);
  if (interaction.isButton()) return handleButton(ctx, interaction);
  if (interaction.isModalSubmit()) return handleModalSubmit(ctx, interaction);
}

async function handleSlashCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const command = findCommand(ctx.frontDoor.commands, interaction);
  const ephemeral = isPrivateCommand(command);
  const base = incomingFromInteraction(ctx.logger, interaction, `/${interaction.commandName}`);
  // A slow command's deferred reply shows the answer as the model writes it (edited at most every 1.5 s).
  const progress = command?.slow ? startInteractionProgress(interaction, () => ctx.translator(base), base.log) : undefined;
  const incoming: Incoming = progress ? { ...base, progress: (view) => progress.show(view) } : base;
  if (!(await acknowledge(incoming, () => interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {})))) return;
  await respond(ctx, incoming, interaction, 'reply', ephemeral, async () => {
    if (!command) return [{ blocks: [{ kind: 'text', text: (await ctx.translator(incoming))('discord.unknownCommand') }], ephemeral: true }];
    const file = await attachedFile(command, interaction);
    if (file && !file.ok) return [{ blocks: [{ kind: 'text', text: downloadProblem(await ctx.translator(incoming), file.reason) }], ephemeral: true }];
    const args = decodeOptions(command, interaction.options.data);
    const replies = await (file ? ctx.frontDoor.command(incoming, command.name, args, file.attachment) : ctx.frontDoor.command(incoming, command.name, args)).finally(
      () => progress?.finish(),
    );
    // A private command's replies are all private, whatever each one says.
    return ephemeral ? replies.map((reply) => ({ ...reply, ephemeral: true })) : replies;
  });
}

/** The file of the command's attachment option, downloaded after the defer (it may take a while). */
async function attachedFile(command: AnyCommand, interaction: ChatInputCommandInteraction): Promise<Download | undefined> {
  const option = command.options.find((o) => o.type === 'attachment');
  const file = option ? interaction.options.getAttachment(option.name.toLowerCase()) : null;
  return file ? downloadAttachment(file) : undefined;
}

async function handleButton(ctx: DiscordContext, interaction: ButtonInteraction): Promise<void> {
  const incoming = incomingFromInteraction(ctx.logger, interaction, 'button');
  const payload = decodeAction(interaction.customId);
  if (payload?.kind === 'save') {
    const t = await ctx.translator(incoming, MODAL_TRANSLATOR_TIMEOUT_MS);
    await acknowledge(incoming, () => interaction.showModal(buildSaveModal(payload.generationId, t)));
    return;
  }
  // deferUpdate keeps the button's message as @original, so replaceOrigin replies can edit it.
  if (!(await acknowledge(incoming, () => interaction.deferUpdate()))) return;
  await respond(ctx, incoming, interaction, 'update', false, () => ctx.frontDoor.action(incoming, interaction.customId));
}

async function handleModalSubmit(ctx: DiscordContext, interaction: ModalSubmitInteraction): Promise<void> {
  const incoming = incomingFromInteraction(ctx.logger, interaction, 'modal');
  if (!(await acknowledge(incoming, () => interaction.deferReply({ flags: MessageFlags.Ephemeral })))) return;
  await respond(ctx, incoming, interaction, 'reply', true, async () => {
    const args = isSaveModal(interaction.customId) ? saveArgs(interaction) : undefined;
    if (!args) return [{ blocks: [{ kind: 'text', text: (await ctx.translator(incoming))('discord.staleButton') }], ephemeral: true }];
    return ctx.frontDoor.command(incoming, 'save', args);
  });
}

/** Autocomplete cannot be deferred and must answer within 3 s: suggestions come from a fixed list. */
async function handleAutocomplete(ctx: DiscordContext, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const command = ctx.frontDoor.commands.find((c) => c.name.toLowerCase() === interaction.commandName);
  const option = command?.options.find((o) => o.name.toLowerCase() === focused.name);
  const choices = option?.type === 'language' ? suggestLanguages(String(focused.value), interaction.locale) : [];
  try {
    await interaction.respond(choices);
  } catch (error) {
    ctx.logger.debug({ error: describeError(error), command: interaction.commandName }, 'discord: autocomplete answer failed');
  }
}

/** Runs the acknowledgement; false when Discord no longer accepts it (too late, or already answered). */
async function acknowledge(incoming: Incoming, ack: () => Promise<unknown>): Promise<boolean> {
  try {
    await ack();
    return true;
  } catch (error) {
    const level = isExpiredInteraction(error) ? 'warn' : 'error';
    incoming.log[level]({ error: describeError(error) }, 'discord: could not acknowledge the interaction');
    return false;
  }
}

/** Produces the replies and sends them; any failure ends as a short private notice, never a crash. */
async function respond(
  ctx: DiscordContext,
  incoming: Incoming,
  interaction: RepliableInteraction,
  mode: 'reply' | 'update',
  deferredEphemeral: boolean,
  produce: () => Promise<Reply[]>,
): Promise<void> {
  const target = interactionTarget(interaction, mode, deferredEphemeral);
  const started = Date.now();
  try {
    const replies = await produce();
    await deliverReplies(ctx, incoming, await ctx.translator(incoming), target, replies);
    incoming.log.debug({ replies: replies.length, ms: Date.now() - started }, 'discord: interaction answered');
  } catch (error) {
    incoming.log.error({ error: describeError(error) }, 'discord: interaction failed');
    try {
      const t = await ctx.translator(incoming);
      await target.send(note(t('discord.genericError'), true));
    } catch (notifyError) {
      incoming.log.warn({ error: describeError(notifyError) }, 'discord: could not report the failure');
    }
  }
}
