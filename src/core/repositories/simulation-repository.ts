import type { Db, Prisma } from '../db/client.ts';
import type { Scenario } from '../content/schemas.ts';

export interface NewTurn {
  sessionId: number;
  role: 'learner' | 'tutor';
  userId: number | null;
  speakerName: string;
  text: string;
  corrections?: unknown;
  newWords?: unknown;
}

export class SimulationRepository {
  constructor(private readonly prisma: Db) {}

  createSession(input: {
    simulationId: string;
    startedById: number;
    startedByName: string;
    conversationKey: string;
    targetLanguage: string;
    baseLanguage: string;
    level: string;
    scenario: Scenario;
  }) {
    return this.prisma.simulationSession.create({
      data: {
        simulationId: input.simulationId,
        startedById: input.startedById,
        conversationKey: input.conversationKey,
        targetLanguage: input.targetLanguage,
        baseLanguage: input.baseLanguage,
        level: input.level,
        scenario: input.scenario as unknown as Prisma.InputJsonValue,
        participants: { create: { userId: input.startedById, displayName: input.startedByName } },
      },
    });
  }

  findSession(id: number) {
    return this.prisma.simulationSession.findUnique({ where: { id } });
  }

  findTurn(sessionId: number, seq: number) {
    return this.prisma.simulationTurn.findFirst({ where: { sessionId, seq }, select: { role: true, text: true } });
  }

  activeInConversation(conversationKey: string) {
    return this.prisma.simulationSession.findFirst({
      where: { conversationKey, status: 'active' },
      orderBy: { id: 'desc' },
    });
  }

  moveToConversation(sessionId: number, conversationKey: string) {
    return this.prisma.simulationSession.update({ where: { id: sessionId }, data: { conversationKey } });
  }

  async join(sessionId: number, userId: number, displayName: string): Promise<void> {
    await this.prisma.simulationParticipant.upsert({
      where: { sessionId_userId: { sessionId, userId } },
      create: { sessionId, userId, displayName },
      update: { displayName },
    });
  }

  participants(sessionId: number) {
    return this.prisma.simulationParticipant.findMany({
      where: { sessionId },
      orderBy: { joinedAt: 'asc' },
      include: { user: { select: { correctionsEnabled: true } } },
    });
  }

  isParticipant(sessionId: number, userId: number) {
    return this.prisma.simulationParticipant
      .findUnique({ where: { sessionId_userId: { sessionId, userId } } })
      .then((row) => row !== null);
  }

  /**
   * Appends a turn with the next sequence number; a concurrent append (another process) is retried.
   * `lastSeq`, when the caller has just read the session's turns, saves reading the last number first; if it is
   * out of date the insert clashes on (session, seq) and the number is read as usual.
   */
  async addTurn(turn: NewTurn, lastSeq?: number) {
    for (let attempt = 0; ; attempt++) {
      const last =
        attempt === 0 && lastSeq !== undefined
          ? { seq: lastSeq }
          : await this.prisma.simulationTurn.findFirst({
              where: { sessionId: turn.sessionId },
              orderBy: { seq: 'desc' },
              select: { seq: true },
            });
      try {
        return await this.prisma.simulationTurn.create({
          data: {
            sessionId: turn.sessionId,
            seq: (last?.seq ?? 0) + 1,
            role: turn.role,
            userId: turn.userId,
            speakerName: turn.speakerName,
            text: turn.text,
            corrections: (turn.corrections ?? undefined) as Prisma.InputJsonValue | undefined,
            newWords: (turn.newWords ?? undefined) as Prisma.InputJsonValue | undefined,
          },
        });
      } catch (error) {
        if (attempt >= 4 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  setTurnFeedback(turnId: number, corrections: unknown, newWords: unknown) {
    return this.prisma.simulationTurn.update({
      where: { id: turnId },
      data: { corrections: corrections as Prisma.InputJsonValue, newWords: newWords as Prisma.InputJsonValue },
    });
  }

  /** The last `limit` turns, oldest first, and how many came before them. */
  async recentTurns(sessionId: number, limit: number) {
    const rows = await this.prisma.simulationTurn.findMany({ where: { sessionId }, orderBy: { seq: 'desc' }, take: limit });
    // Fewer rows than the limit are all there is: only a long session needs counting.
    const total = rows.length < limit ? rows.length : await this.prisma.simulationTurn.count({ where: { sessionId } });
    return { omitted: Math.max(0, total - rows.length), turns: rows.reverse() };
  }

  allTurns(sessionId: number) {
    return this.prisma.simulationTurn.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } });
  }

  /** Ends an active session; false when it had ended already (another request or process won). */
  async end(sessionId: number, summary: unknown): Promise<boolean> {
    const { count } = await this.prisma.simulationSession.updateMany({
      where: { id: sessionId, status: 'active' },
      data: { status: 'ended', endedAt: new Date(), summary: summary as Prisma.InputJsonValue },
    });
    return count > 0;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}
