import type { ContentType } from '../content-types.ts';
import type { Db, Prisma } from '../db/client.ts';

export interface NewGeneration {
  userId: number;
  conversationKey: string;
  contentType: ContentType;
  queryText: string;
  targetLanguage: string;
  baseLanguage: string;
  level: string;
  content: unknown;
  outputLogId: string;
  promptVersion: string;
  model: string;
}

export class GenerationRepository {
  constructor(private readonly prisma: Db) {}

  create(g: NewGeneration) {
    return this.prisma.generation.create({ data: { ...g, content: g.content as Prisma.InputJsonValue } });
  }

  findById(id: number) {
    return this.prisma.generation.findUnique({ where: { id } });
  }

  /** The newest rateable/saveable content generated in a conversation. */
  /** The latest content of these types in a conversation (made at or before `before`, when given). */
  latestInConversation(conversationKey: string, types: readonly ContentType[], before?: Date) {
    return this.prisma.generation.findFirst({
      where: { conversationKey, contentType: { in: [...types] }, ...(before ? { createdAt: { lte: before } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }
}
