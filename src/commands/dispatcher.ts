// The front door's implementation: validates input, resolves the learner, runs commands and actions,
// and turns every failure into a clear reply. Learners never see internal error text.
import { decodeAction, type ActionPayload } from '../core/actions.ts';
import { errorReference, isUserFacingError, UserFacingError } from '../core/errors.ts';
import { isDatabaseUnavailable } from '../core/db/errors.ts';
import { isVisibleTo } from '../core/services/generation.ts';
import type { I18n, Translator } from '../core/i18n/index.ts';
import type { Learner } from '../core/services/learners.ts';
import type { Services } from '../core/services/index.ts';
import { TURN_MAX_LENGTH } from '../core/services/simulations.ts';
import { conversationKey, MAX_INCOMING_ATTACHMENT_BYTES, type IncomingAttachment, type MessageRef, type Reply, type UserRef } from '../core/types.ts';
import type { Logger } from '../logger.ts';
import { cutText, hasControlCharacters, isBlank } from '../core/safe-text.ts';
import { MAX_COMMAND_TEXT, parseCommandText, parseTextArgs, validateArgs } from './arguments.ts';
import type { CommandContext } from './context.ts';
import type { AnyCommand } from './define.ts';
import type { Incoming, RawArgs, TextOptions, TutorFrontDoor } from './front-door.ts';
import { scopeOf } from './scope.ts';
import { answerView, flashcardsView, questionView, summaryView, turnView } from './views.ts';
import { cardBackView, cardFrontView, nothingDueView } from './review-views.ts';
import type { FlashcardSet } from '../core/content/schemas.ts';
import { confirmForget } from './forget.ts';
import { levelProposalView } from './personal-views.ts';
import { CEFR_LEVELS } from '../core/language.ts';
import { OPERATOR_COMMAND, operatorReport } from './operator.ts';
import type { OperatorReportService } from '../core/services/operator-report.ts';
import { voiceTurn } from './voice-turn.ts';
import { wantsVoice, withVoiceNote } from './voice-replies.ts';

export interface FrontDoorDeps {
  services: Services;
  i18n: I18n;
  commands: readonly AnyCommand[];
  /** Observes each handled command (metrics); optional. */
  onCommand?: (name: string, outcome: 'ok' | 'user_error' | 'internal_error') => void;
  /** `/admin` for the operators of ADMIN_USER_IDS (src/commands/operator.ts); absent: nobody has it. */
  operatorReport?: OperatorReportService;
}

/** The chat part of a conversation key (a thread or topic belongs to its chat). */
const chatOf = (key: string) => key.split(':').slice(0, 2).join(':');
/** Messages remembered for a rating reaction while the database is away (about 1 MB at most). */
const RECENTLY_SENT_MAX = 10_000;

export function createFrontDoor(deps: FrontDoorDeps): TutorFrontDoor {
  const { services, i18n, commands } = deps;
  /** Commands that change learners in ways the learner cache cannot follow (see LearnerService). */
  const CHANGES_LEARNERS = new Set(['settings', 'remind', 'link', 'forget']);
  const byName = new Map(commands.map((c) => [c.name, c]));

  // The content of the messages this process sent recently, for a rating reaction while the database is away
  // (the reaction then names only the message; its rating is journaled, issue 16). Bounded, oldest out first.
  const recentlySent = new Map<string, number>();
  const messageKey = (m: MessageRef) => `${m.platform}\u0000${m.chatId}\u0000${m.messageId}`;
  async function ratedContent(message: MessageRef): Promise<number | undefined> {
    try {
      return (await services.messages.find(message))?.generationId ?? undefined;
    } catch (error) {
      const known = isDatabaseUnavailable(error) ? recentlySent.get(messageKey(message)) : undefined;
      if (known === undefined) throw error;
      return known;
    }
  }

  const translatorFor = (learner: Pick<Learner, 'baseLanguage'> | undefined, user: UserRef): Translator =>
    i18n.translator(learner?.baseLanguage ?? user.locale);

  /** Read-only lookup for messages about bad input (bad input changes nothing, not even last-seen). */
  async function quickTranslator(incoming: Incoming): Promise<Translator> {
    try {
      const learner = await services.learners.find(incoming.user);
      return translatorFor(learner, incoming.user);
    } catch {
      return translatorFor(undefined, incoming.user);
    }
  }

  /**
   * The translator for a failure message. When the failure is the database being away, asking it for the
   * learner's language would wait for the same timeout a second time (a partition: 5 s more): use the locale.
   */
  async function translatorAfter(error: unknown, incoming: Incoming): Promise<Translator> {
    const unavailable = isDatabaseUnavailable(error) || (isUserFacingError(error) && error.key === 'errors.databaseUnavailable');
    return unavailable ? translatorFor(undefined, incoming.user) : quickTranslator(incoming);
  }

  function failure(error: unknown, t: Translator, log: Logger, what: string): Reply[] {
    if (isUserFacingError(error)) {
      log.info({ what, userError: error.key }, 'request refused');
      return [{ blocks: [{ kind: 'text', text: t(error.key, error.params) }], ephemeral: true }];
    }
    const ref = errorReference();
    // The database dropping out mid-request (after the learner lookup: a generation being stored, a
    // simulation turn) is an outage the learner should recognise, not a bug: say so, as contextFor does.
    if (isDatabaseUnavailable(error)) {
      log.warn({ err: error, what, ref }, 'request failed: database unavailable');
      return [{ blocks: [{ kind: 'text', text: t('errors.databaseUnavailable') }], ephemeral: true }];
    }
    log.error({ err: error, what, ref }, 'request failed');
    return [{ blocks: [{ kind: 'text', text: t('errors.internal', { ref }) }], ephemeral: true }];
  }

  async function contextFor(incoming: Incoming, log: Logger, attachment?: IncomingAttachment): Promise<CommandContext> {
    let learner: Learner;
    try {
      learner = await services.learners.resolve(incoming.user);
    } catch (error) {
      log.error({ err: error }, 'learner lookup failed');
      throw new UserFacingError('errors.databaseUnavailable');
    }
    return {
      ...incoming,
      log,
      learner,
      t: translatorFor(learner, incoming.user),
      services,
      commands,
      retranslate: async (updated) => translatorFor(updated, incoming.user),
      ...(attachment ? { attachment } : {}),
    };
  }

  async function runCommand(incoming: Incoming, command: AnyCommand, parse: () => RawArgs, attachment?: IncomingAttachment): Promise<Reply[]> {
    const log = incoming.log.child({ command: command.name });
    let args: Record<string, unknown>;
    try {
      args = validateArgs(command, parse());
    } catch (error) {
      deps.onCommand?.(command.name, 'user_error');
      return failure(error, await quickTranslator(incoming), log, command.name);
    }
    let ctx: CommandContext | undefined;
    try {
      if (attachment && attachment.data.byteLength > MAX_INCOMING_ATTACHMENT_BYTES) {
        throw new UserFacingError('errors.fileTooLarge', { max: Math.round(MAX_INCOMING_ATTACHMENT_BYTES / 1024 / 1024) });
      }
      ctx = await contextFor(incoming, log, attachment);
      const replies = await command.run(ctx, args as never);
      deps.onCommand?.(command.name, 'ok');
      return replies;
    } catch (error) {
      deps.onCommand?.(command.name, isUserFacingError(error) ? 'user_error' : 'internal_error');
      return failure(error, ctx?.t ?? (await translatorAfter(error, incoming)), log, command.name);
    } finally {
      if (CHANGES_LEARNERS.has(command.name)) services.learners.invalidate();
    }
  }

  async function continueSimulation(incoming: Incoming, text: string, options: TextOptions): Promise<Reply[] | null> {
    // In groups the bot answers only when addressed (a reply to it, a mention, its thread).
    if (!options.addressed) return null;
    const key = conversationKey(incoming.conversation);
    let sessionId: number | undefined;
    if (options.replyTo) {
      const message = await services.messages.find(options.replyTo);
      sessionId = message?.simulationSessionId ?? undefined;
    }
    const session = await services.simulations.findActive(key, sessionId);
    if (!session) {
      if (incoming.conversation.isGroup) return null;
      const t = await quickTranslator(incoming);
      return [{ blocks: [{ kind: 'text', text: t('errors.notACommand') }] }];
    }
    const log = incoming.log.child({ simulation: session.id });
    if ([...text].length > TURN_MAX_LENGTH) {
      return failure(new UserFacingError('errors.turnTooLong', { max: TURN_MAX_LENGTH }), await quickTranslator(incoming), log, 'turn');
    }
    if (hasControlCharacters(text)) {
      return failure(new UserFacingError('errors.controlCharacters'), await quickTranslator(incoming), log, 'turn');
    }
    let ctx: CommandContext | undefined;
    try {
      ctx = await contextFor(incoming, log);
      const { reply, tutorSeq } = await services.simulations.takeTurn(scopeOf(ctx), session.id, text);
      const view = turnView(ctx.t, session, reply, services.voice.canSpeak ? tutorSeq : undefined);
      return [wantsVoice(ctx) ? await withVoiceNote(ctx, view, reply.reply, session.targetLanguage) : view];
    } catch (error) {
      return failure(error, ctx?.t ?? (await translatorAfter(error, incoming)), log, 'turn');
    }
  }

  /**
   * A generation a button names by id, if this learner may see it (their own, or made in this chat); else the
   * stale-button notice. Payloads can be forged (Telegram callback data, guessed ids): they must not show
   * other learners' private content.
   */
  async function visibleGeneration(ctx: CommandContext, generationId: number) {
    const generation = await services.generation.find(generationId);
    if (!generation || !isVisibleTo(generation, ctx.learner.id, conversationKey(ctx.conversation))) throw new UserFacingError('errors.notAvailable');
    return generation;
  }

  /**
   * An exercise button's `owner` must be what the bot put there: the exercises' own learner, or 0 ("anyone may
   * answer") only in the chat the exercises were sent in. A forged owner is a stale button, so questions asked in
   * a private chat cannot be opened to a group by rewriting the payload.
   */
  function exerciseButtonFits(generation: { userId: number; conversationKey: string }, owner: number, key: string): void {
    const fits = owner === 0 ? chatOf(generation.conversationKey) === chatOf(key) : owner === generation.userId;
    if (!fits) throw new UserFacingError('errors.notAvailable');
  }

  /** A level change to propose after a finished exercise set; a failure here never spoils the answer. */
  async function levelProposal(ctx: CommandContext): Promise<Reply[]> {
    try {
      const proposal = await services.levels.proposal(ctx.learner);
      return proposal ? [levelProposalView(ctx.t, ctx.learner.id, proposal)] : [];
    } catch (error) {
      ctx.log.warn({ err: error }, 'level proposal failed');
      return [];
    }
  }

  async function runAction(ctx: CommandContext, action: ActionPayload): Promise<Reply[]> {
    const { t, learner } = ctx;
    const key = conversationKey(ctx.conversation);
    switch (action.kind) {
      case 'rate': {
        // Not yours and missing answer alike; with the database away, the rating waits in the journal.
        const { queued } = await services.feedback.rate(learner, key, action.rating, action.generationId, () => visibleGeneration(ctx, action.generationId));
        return [{ blocks: [{ kind: 'text', text: queued ? t('feedback.savedLater') : t('rating.thanks', { rating: action.rating }) }], ephemeral: true }];
      }
      case 'save': {
        await visibleGeneration(ctx, action.generationId);
        const { item, alreadySaved, cardsAdded } = await services.savedItems.save(learner, key, { generationId: action.generationId });
        const text = alreadySaved ? t('saved.alreadySaved', { id: item.number }) : t('saved.saved', { id: item.number, label: '' });
        const deck = cardsAdded > 0 ? `\n${t('review.addedCards', { count: cardsAdded })}` : '';
        return [{ blocks: [{ kind: 'text', text: text + deck }], ephemeral: true }];
      }
      case 'flip': {
        const card = await services.reviews.show(learner, action.cardId);
        return [cardBackView(t, card)];
      }
      case 'grade': {
        const { interval } = await services.reviews.grade(learner, action.cardId, action.grade);
        const next = await services.reviews.next(learner);
        const graded: Reply = { blocks: [{ kind: 'text', text: t('review.next', { interval }) }], replaceOrigin: true };
        if (!next) return [graded, nothingDueView(t, 1)];
        return [graded, cardFrontView(t, next, await services.reviews.dueNow(learner))];
      }
      case 'card': {
        if (!(await services.exercises.attempted(learner, action.generationId, action.question))) throw new UserFacingError('errors.notAvailable');
        const set = await services.exercises.load(action.generationId);
        const generation = await services.generation.find(action.generationId);
        const added = await services.reviews.addExerciseQuestion(learner, set, action.question, generation?.targetLanguage ?? null);
        return [{ blocks: [{ kind: 'text', text: added > 0 ? t('review.addedOne') : t('review.alreadyInDeck') }], ephemeral: true }];
      }
      case 'reveal': {
        const generation = await visibleGeneration(ctx, action.generationId);
        if (generation.contentType !== 'flashcards') throw new UserFacingError('errors.notAvailable');
        return [flashcardsView(t, generation.id, generation.content as unknown as FlashcardSet, true, services.voice.canSpeak)];
      }
      case 'answer': {
        const generation = await visibleGeneration(ctx, action.generationId); // before the owner check: a forged payload learns no name
        exerciseButtonFits(generation, action.owner, key);
        if (action.owner !== 0 && action.owner !== learner.id) {
          const owner = await services.learners.displayName(action.owner);
          throw new UserFacingError('errors.notYourQuestions', { name: owner ?? '?' });
        }
        const outcome = await services.exercises.answer(learner, action.generationId, action.question, action.choice);
        const [verdict, ...rest] = answerView(t, outcome, action.generationId, action.owner);
        const prompt = outcome.set.questions[action.question]!.prompt;
        // The verdict replaces the question (its buttons go), keeping the question text visible.
        const replaced: Reply = { ...verdict!, blocks: [{ kind: 'text', text: prompt }, ...verdict!.blocks], replaceOrigin: true };
        // After a whole set, enough answers at the learner's level may propose another level (once; a button).
        const proposal = outcome.score && action.owner === learner.id ? await levelProposal(ctx) : [];
        return [replaced, ...rest, ...proposal];
      }
      case 'question': {
        exerciseButtonFits(await visibleGeneration(ctx, action.generationId), action.owner, key);
        if (action.owner !== 0 && action.owner !== learner.id) throw new UserFacingError('errors.notAvailable');
        const set = await services.exercises.load(action.generationId);
        if (!set.questions[action.question]) throw new UserFacingError('errors.staleButton');
        return [questionView(t, action.generationId, set, action.question, action.owner)];
      }
      case 'end': {
        // Another chat's role-play is answered like a finished or missing one: a forged id learns nothing.
        const session = await services.simulations.findActive(key, action.sessionId);
        if (!session || (session.startedById !== learner.id && chatOf(session.conversationKey) !== chatOf(key))) throw new UserFacingError('errors.notAvailable');
        const { summary } = await services.simulations.end(scopeOf(ctx), session.id, ctx.isChatAdmin);
        return [summaryView(t, session, summary)];
      }
      case 'forget':
        try {
          return await confirmForget(ctx, action.userId);
        } finally {
          services.learners.invalidate();
        }
      case 'level': {
        // Someone else's proposal is answered like one that does not exist.
        const to = CEFR_LEVELS[action.level - 1];
        if (action.userId !== learner.id || !to) throw new UserFacingError('errors.notAvailable');
        const updated = await services.levels.accept(learner, to, ctx.user.locale).finally(() => services.learners.invalidate());
        const tUpdated = await ctx.retranslate(updated);
        return [{ blocks: [{ kind: 'text', text: tUpdated('personal.levelChanged', { level: updated.level }) }], replaceOrigin: true }];
      }
      case 'unlink': {
        const undone = await services.linking.undo(ctx.user, action.undoId).finally(() => services.learners.invalidate());
        const text = t('loop.linkUndone', { platforms: undone.platforms.join(', '), savedItems: undone.savedItems, cards: undone.cards });
        return [{ blocks: [{ kind: 'text', text }], replaceOrigin: true }];
      }
      case 'listen': {
        const generation = await visibleGeneration(ctx, action.generationId);
        if (generation.contentType !== 'flashcards') throw new UserFacingError('errors.notAvailable');
        const card = (generation.content as unknown as FlashcardSet).cards[action.card];
        if (!card) throw new UserFacingError('errors.staleButton');
        const voice = await services.voice.speak(scopeOf(ctx), card.word, generation.targetLanguage, 'listen.ogg');
        return [{ blocks: [{ kind: 'text', text: `🔊 ${card.word}` }], voice }];
      }
      case 'hear': {
        const line = await services.simulations.tutorLine(action.sessionId, action.seq, learner.id, key);
        if (!line) throw new UserFacingError('errors.notAvailable');
        const voice = await services.voice.speak(scopeOf(ctx), line.text, line.targetLanguage, 'line.ogg');
        return [{ blocks: [{ kind: 'text', text: `🔊 ${line.text}` }], voice }];
      }
    }
  }

  return {
    commands,

    async command(incoming, name, args, attachment) {
      const command = byName.get(name.toLowerCase());
      if (!command) {
        const t = await quickTranslator(incoming);
        return [{ blocks: [{ kind: 'text', text: t('errors.unknownCommand', { name: cutText(name, 32) }) }], ephemeral: true }];
      }
      return runCommand(incoming, command, () => args, attachment);
    },

    async text(incoming, text, options) {
      if (text.length > MAX_COMMAND_TEXT) {
        if (!options.addressed) return null;
        const t = await quickTranslator(incoming);
        return [{ blocks: [{ kind: 'text', text: t('errors.textTooLong', { max: MAX_COMMAND_TEXT }) }] }];
      }
      const parsed = text.trimStart().startsWith('/') ? parseCommandText(text) : undefined;
      if (parsed) {
        const command = byName.get(parsed.name);
        const operator = deps.operatorReport;
        if (parsed.name === OPERATOR_COMMAND && operator?.allows(incoming.user, incoming.conversation.isGroup)) {
          const log = incoming.log.child({ command: OPERATOR_COMMAND });
          const t = await quickTranslator(incoming);
          try {
            return await operatorReport(operator, t);
          } catch (error) {
            return failure(error, t, log, OPERATOR_COMMAND);
          }
        }
        if (!command) {
          if (incoming.conversation.isGroup && !options.addressed) return null;
          const t = await quickTranslator(incoming);
          return [{ blocks: [{ kind: 'text', text: t('errors.unknownCommand', { name: parsed.name }) }] }];
        }
        return runCommand(incoming, command, () => parseTextArgs(command, parsed.body), options.attachment);
      }
      if (isBlank(text)) return null;
      try {
        return await continueSimulation(incoming, text.trim(), options);
      } catch (error) {
        return failure(error, await translatorAfter(error, incoming), incoming.log, 'text');
      }
    },

    async voice(incoming, options) {
      // Like plain text: in groups only when addressed (a reply to the bot, its thread).
      if (!options.addressed) return null;
      const log = incoming.log.child({ voice: true });
      let ctx: CommandContext | undefined;
      try {
        let sessionId: number | undefined;
        if (options.replyTo) sessionId = (await services.messages.find(options.replyTo))?.simulationSessionId ?? undefined;
        const session = await services.simulations.findActive(conversationKey(incoming.conversation), sessionId);
        ctx = await contextFor(incoming, log);
        return await voiceTurn(ctx, incoming.voice, session);
      } catch (error) {
        return failure(error, ctx?.t ?? (await translatorAfter(error, incoming)), log, 'voice');
      }
    },

    async action(incoming, data) {
      const payload = decodeAction(data);
      const log = incoming.log.child({ action: payload?.kind ?? 'invalid' });
      if (!payload) return failure(new UserFacingError('errors.staleButton'), await quickTranslator(incoming), log, 'action');
      let ctx: CommandContext | undefined;
      try {
        ctx = await contextFor(incoming, log);
        return await runAction(ctx, payload);
      } catch (error) {
        return failure(error, ctx?.t ?? (await translatorAfter(error, incoming)), log, `action:${payload.kind}`);
      }
    },

    async reaction(incoming, message, rating) {
      const log = incoming.log.child({ reaction: rating });
      try {
        const generationId = await ratedContent(message);
        if (!generationId) return [];
        const learner = await services.learners.resolve(incoming.user);
        if (rating === null) await services.feedback.clearRating(learner, generationId);
        else await services.feedback.rate(learner, conversationKey(incoming.conversation), rating, generationId);
        return [];
      } catch (error) {
        // A reaction has no reply of its own: log and stay silent.
        if (!isUserFacingError(error)) log.error({ err: error }, 'reaction failed');
        return [];
      }
    },

    async sent(message, reply) {
      if (reply.rateGenerationId === undefined && reply.simulationSessionId === undefined) return;
      if (reply.rateGenerationId !== undefined) {
        recentlySent.set(messageKey(message), reply.rateGenerationId);
        if (recentlySent.size > RECENTLY_SENT_MAX) recentlySent.delete(recentlySent.keys().next().value!);
      }
      await services.messages.remember(message, {
        ...(reply.rateGenerationId !== undefined ? { generationId: reply.rateGenerationId } : {}),
        ...(reply.simulationSessionId !== undefined ? { simulationSessionId: reply.simulationSessionId } : {}),
      });
    },

    async threadOpened(sessionId, thread) {
      await services.simulations.moveToThread(sessionId, conversationKey(thread));
    },

    translator: quickTranslator,
  };
}
