// What every platform adapter calls. Adapters decode platform updates into these calls and render the
// returned Replies; they hold no learning logic. Implemented by createFrontDoor (./dispatcher.ts).
import type { Logger } from '../logger.ts';
import type { ConversationRef, IncomingAttachment, IncomingVoice, MessageRef, Reply, UserRef } from '../core/types.ts';
import type { AnyCommand } from './define.ts';
import type { Translator } from '../core/i18n/index.ts';

export interface Incoming {
  user: UserRef;
  conversation: ConversationRef;
  /** The adapter's per-update child logger (platform, chat, user already bound). */
  log: Logger;
  /**
   * Whether the user administers this group chat (Telegram: creator or administrator; Discord: may manage
   * messages). Asked only when needed (ending someone else's role-play); absent: not an admin.
   */
  isChatAdmin?: () => Promise<boolean>;
  /** A voice message that came with this update (see TutorFrontDoor.voice). Not downloaded yet. */
  voice?: IncomingVoice;
  /**
   * Shows what a slow command (a generation, a role-play turn) has so far while the model still writes: each
   * call gives the whole view so far, without buttons. The replies the call returns replace it. Must not throw
   * and must not wait (adapters throttle and send in the background); absent: no progress is shown.
   */
  progress?: (view: Reply) => void;
}

export interface TextOptions {
  /**
   * Whether the message is meant for the bot: a private chat, a reply to the bot, a mention, or a message in
   * a simulation's own thread. Plain text that is not addressed is ignored (groups: answer only when addressed).
   */
  addressed: boolean;
  /** The bot message this one replies to, if any (Telegram reply chains, Discord replies). */
  replyTo?: MessageRef;
  /** A file sent with the message (a Telegram document whose caption is the command), downloaded. */
  attachment?: IncomingAttachment;
}

export type RawArgs = Record<string, string | number | boolean | undefined>;

export interface TutorFrontDoor {
  /** Every command, for help texts, Discord registration and Telegram's setMyCommands. */
  readonly commands: readonly AnyCommand[];

  /**
   * A command with already separated arguments (Discord slash options). Values are validated here.
   * An option of type 'attachment' arrives as `attachment` (downloaded by the adapter), not in `args`.
   */
  command(incoming: Incoming, name: string, args: RawArgs, attachment?: IncomingAttachment): Promise<Reply[]>;

  /**
   * A text message. "/name free text key:value" runs a command (a "@BotName" suffix on the name is dropped);
   * other text continues the simulation that is active in this conversation (or the one `replyTo` belongs to).
   * Returns null when the text is not for the bot (not addressed, or nothing to continue): send nothing.
   */
  text(incoming: Incoming, text: string, options: TextOptions): Promise<Reply[] | null>;

  /**
   * A voice message (incoming.voice). In an active simulation (this conversation's, or the one `replyTo`
   * belongs to) it is transcribed and taken as the learner's turn: the replies start with "🎙 I heard: …".
   * Elsewhere the learner gets a short answer: what was heard and how to use voice. Too long or too large
   * voice messages are refused before download. Returns null when the message is not for the bot
   * (not addressed): send nothing.
   */
  voice(incoming: Incoming & { voice: IncomingVoice }, options: TextOptions): Promise<Reply[] | null>;

  /** A button press with its encoded payload (src/core/actions.ts). Unknown/stale payloads get a short notice. */
  action(incoming: Incoming, data: string): Promise<Reply[]>;

  /**
   * A rating given by a reaction on a message the bot sent (null = the learner removed their rating reaction).
   * Messages the bot does not know, and ratings on non-rateable messages, are ignored (returns []).
   */
  reaction(incoming: Incoming, message: MessageRef, rating: number | null): Promise<Reply[]>;

  /**
   * The adapter sent `reply` as platform message `message`. Records what a later reaction or reply to that
   * message refers to (the rated generation, the simulation session). Call it for every sent reply that has
   * rateGenerationId or simulationSessionId set; other calls are no-ops.
   */
  sent(message: MessageRef, reply: Reply): Promise<void>;

  /** A simulation moved into its own thread/topic: later messages there continue it. */
  threadOpened(simulationSessionId: number, thread: ConversationRef): Promise<void>;

  /** The translator for this learner's interface language (their base language, else the platform locale). */
  translator(incoming: Incoming): Promise<Translator>;
}
