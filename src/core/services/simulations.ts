// Role-play conversations: start from a scenario, take learners' turns (one or several learners; the
// tutor knows who said what), answer in character with optional corrections, end with a per-learner summary.
// Sessions and turns live in the database, so a restart (or another process) resumes them.
import type { Scenario, SimulationTurnReply } from '../content/schemas.ts';
import { simulationTurnSchema } from '../content/schemas.ts';
import { simulationTurnPrompt } from '../content/prompts.ts';
import { TEMPLATE_PINS } from '../content/prompt-version.ts';
import { previewListener, turnPreview } from '../content/previews.ts';
import { UserFacingError } from '../errors.ts';
import { KeyedMutex } from '../keyed-mutex.ts';
import { turnProblems } from '../content/checks.ts';
import { loadedLanguageDetector } from '../language/detector.ts';
import { clearlyWrongLanguage } from '../language/wrong-language.ts';
import { isRecordGone } from '../db/errors.ts';
import type { CefrLevel } from '../language.ts';
import type { CurriculumRepository } from '../repositories/curriculum-repository.ts';
import type { SimulationRepository } from '../repositories/simulation-repository.ts';
import type { GenerationRequest, GenerationService, RequestScope } from './generation.ts';

/** A role-play turn's prompt with placeholder inputs: its template, for the prompt version. */
const TURN_TEMPLATE = {
  ...TEMPLATE_PINS,
  scenario: { title: '{title}', setting: '{setting}', botRole: '{botRole}', learnerRole: '{learnerRole}', openingLine: '{openingLine}', exampleDialogue: [], keyPhrases: [] },
  correctionsFor: ['{name}'],
  history: [{ speaker: '{name}', isTutor: false, text: '{line}' }],
  omittedTurns: 1,
  speaker: '{name}',
  text: '{line}',
};

export const TURN_MAX_LENGTH = 1000;

export interface SimulationSummaryEntry {
  userId: number;
  name: string;
  turns: number;
  corrections: Array<{ original: string; corrected: string; explanation: string }>;
  newWords: Array<{ word: string; translation: string }>;
}

export interface SessionInfo {
  id: number;
  scenario: Scenario;
  targetLanguage: string;
  baseLanguage: string;
  level: string;
  /** Where it runs (a Discord role-play moves into its thread). */
  conversationKey: string;
  /** The learner who started it: they (or a chat admin) may end it. */
  startedById: number;
}

export class SimulationService {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly generation: GenerationService,
    private readonly simulations: SimulationRepository,
    private readonly curricula: CurriculumRepository,
    private readonly contextTurns: number,
  ) {}

  /** Creates the scenario and an active session in this conversation (one active session per conversation). */
  async start(scope: RequestScope, request: GenerationRequest, lessonId: string | null = null) {
    const active = await this.simulations.activeInConversation(scope.conversationKey);
    if (active) throw new UserFacingError('errors.simulationActive');
    const generated = await this.generation.scenario(scope, request);
    const simulation = await this.curricula.saveSimulation(lessonId, generated.content);
    const session = await this.simulations.createSession({
      simulationId: simulation.id,
      startedById: scope.learner.id,
      startedByName: scope.learner.displayName,
      conversationKey: scope.conversationKey,
      targetLanguage: generated.pins.targetLanguage,
      baseLanguage: generated.pins.baseLanguage,
      level: generated.pins.level,
      scenario: generated.content,
    });
    const opening = await this.simulations.addTurn({
      sessionId: session.id,
      role: 'tutor',
      userId: null,
      speakerName: generated.content.botRole,
      text: generated.content.openingLine,
    });
    return {
      session: toInfo(session),
      generationId: generated.generationId,
      openingSeq: opening.seq,
      ...(generated.practising !== undefined ? { practising: generated.practising } : {}),
    };
  }

  /** The active session of a conversation, or the one a replied-to message belongs to. */
  async findActive(conversationKey: string, sessionId?: number): Promise<SessionInfo | undefined> {
    const session = sessionId
      ? await this.simulations.findSession(sessionId)
      : await this.simulations.activeInConversation(conversationKey);
    return session && session.status === 'active' ? toInfo(session) : undefined;
  }

  /**
   * The tutor's line `seq` of a session (🔊 under a role-play line), for a learner in `conversationKey`: the
   * session's starter, or anyone in the chat it runs in. Otherwise (and for a missing line) undefined, alike.
   */
  async tutorLine(sessionId: number, seq: number, learnerId: number, conversationKey: string): Promise<{ text: string; targetLanguage: string } | undefined> {
    const session = await this.simulations.findSession(sessionId);
    if (!session) return undefined;
    const chat = (key: string) => key.split(':').slice(0, 2).join(':');
    if (session.startedById !== learnerId && chat(session.conversationKey) !== chat(conversationKey)) return undefined;
    const turn = await this.simulations.findTurn(sessionId, seq);
    if (!turn || turn.role !== 'tutor') return undefined;
    return { text: turn.text, targetLanguage: session.targetLanguage };
  }

  async moveToThread(sessionId: number, conversationKey: string): Promise<void> {
    await this.simulations.moveToConversation(sessionId, conversationKey);
  }

  /** A learner's line; the first line of a new learner makes them a participant. Turns of one session are serialised. */
  takeTurn(scope: RequestScope, sessionId: number, text: string): Promise<{ session: SessionInfo; reply: SimulationTurnReply; tutorSeq: number }> {
    return this.mutex.run(`simulation:${sessionId}`, async () => {
      const row = await this.simulations.findSession(sessionId);
      if (!row || row.status !== 'active') throw new UserFacingError('errors.noSimulation');
      const session = toInfo(row);
      const { learner } = scope;
      const { turns: history, omitted } = await this.simulations.recentTurns(sessionId, this.contextTurns);
      // A learner whose last lines (under this name) are in the recent history has joined already: /forget
      // removes a participant's turns together with the participant.
      const joined = history.some((t) => t.userId === learner.id && t.speakerName === learner.displayName);
      if (!joined) await sessionGone(this.simulations.join(sessionId, learner.id, learner.displayName));
      const learnerTurn = await sessionGone(
        this.simulations.addTurn({ sessionId, role: 'learner', userId: learner.id, speakerName: learner.displayName, text }, history.at(-1)?.seq ?? 0),
      );
      const pins = { targetLanguage: session.targetLanguage, baseLanguage: session.baseLanguage, level: session.level as CefrLevel };
      const { result } = await this.generation.call(scope, 'simulation_turn', text, pins, {
        schema: simulationTurnSchema,
        schemaName: 'simulation_turn',
        messages: simulationTurnPrompt({
          ...pins,
          scenario: session.scenario,
          correctionsFor: learner.correctionsEnabled ? [learner.displayName] : [],
          history: history.map((t) => ({ speaker: t.speakerName, isTutor: t.role === 'tutor', text: t.text })),
          omittedTurns: omitted,
          speaker: learner.displayName,
          text,
        }),
        template: () => simulationTurnPrompt(TURN_TEMPLATE),
        // A line in the base language (the model dropping out of the role-play's language) gets one repair
        // request, then 'errors.wrongLanguage'. Only clear cases are flagged (see wrong-language.ts).
        check: (turn) => turnProblems(turn, pins, loadedLanguageDetector(), [learner.displayName, ...history.map((t) => t.speakerName)]),
        // The reply grows on screen; a line that is clearly in the wrong language is not shown (its repair is).
        onPartial: previewListener(scope.preview, true, (json) => {
          const preview = turnPreview(json, session.scenario.botRole);
          return preview && preview.kind === 'turn' && !clearlyWrongLanguage(preview.reply, pins.targetLanguage, pins.baseLanguage) ? preview : undefined;
        }),
        extra: { sessionId, turn: learnerTurn.seq },
      });
      const reply = learner.correctionsEnabled ? result.value : { ...result.value, corrections: [] };
      const tutorTurn = await sessionGone(
        (async () => {
          await this.simulations.setTurnFeedback(learnerTurn.id, reply.corrections, reply.newWords);
          return this.simulations.addTurn({ sessionId, role: 'tutor', userId: null, speakerName: session.scenario.botRole, text: reply.reply }, learnerTurn.seq);
        })(),
      );
      return { session, reply, tutorSeq: tutorTurn.seq };
    });
  }

  /**
   * Ends the session and returns what each learner practised. Only the learner who started it may, or an
   * administrator of the chat (`isChatAdmin`, asked only for someone else's role-play): in a group, one
   * participant must not cut the others' role-play short.
   */
  end(scope: RequestScope, sessionId: number, isChatAdmin?: () => Promise<boolean>): Promise<{ session: SessionInfo; summary: SimulationSummaryEntry[] }> {
    return this.mutex.run(`simulation:${sessionId}`, async () => {
      const row = await this.simulations.findSession(sessionId);
      if (!row || row.status !== 'active') throw new UserFacingError('errors.noSimulation');
      if (row.startedById !== scope.learner.id && !(await isChatAdmin?.().catch(() => false))) throw new UserFacingError('errors.notStarter');
      const summary = await this.summarise(sessionId);
      if (!(await this.simulations.end(sessionId, summary))) throw new UserFacingError('errors.noSimulation');
      return { session: toInfo(row), summary };
    });
  }

  private async summarise(sessionId: number): Promise<SimulationSummaryEntry[]> {
    const [participants, turns] = await Promise.all([this.simulations.participants(sessionId), this.simulations.allTurns(sessionId)]);
    return participants.map((p) => {
      const own = turns.filter((t) => t.role === 'learner' && t.userId === p.userId);
      return {
        userId: p.userId,
        name: p.displayName,
        turns: own.length,
        corrections: own.flatMap((t) => (Array.isArray(t.corrections) ? (t.corrections as SimulationSummaryEntry['corrections']) : [])),
        newWords: dedupeWords(own.flatMap((t) => (Array.isArray(t.newWords) ? (t.newWords as SimulationSummaryEntry['newWords']) : []))),
      };
    });
  }
}

/**
 * A turn's writes when the session (or the learner) was deleted meanwhile — /forget by the session's starter
 * or by this learner, between the checks and the writes or while the model answered: the learner reads
 * "no simulation running" instead of an internal error.
 */
async function sessionGone<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isRecordGone(error)) throw new UserFacingError('errors.noSimulation');
    throw error;
  }
}

function toInfo(row: {
  id: number;
  scenario: unknown;
  targetLanguage: string;
  baseLanguage: string;
  level: string;
  conversationKey: string;
  startedById: number;
}): SessionInfo {
  return {
    id: row.id,
    conversationKey: row.conversationKey,
    startedById: row.startedById,
    scenario: row.scenario as Scenario,
    targetLanguage: row.targetLanguage,
    baseLanguage: row.baseLanguage,
    level: row.level,
  };
}

function dedupeWords(words: SimulationSummaryEntry['newWords']): SimulationSummaryEntry['newWords'] {
  const seen = new Set<string>();
  return words.filter((w) => {
    const key = w.word.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
