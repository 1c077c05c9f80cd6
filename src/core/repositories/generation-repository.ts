import type { ContentType } from '../content-types.ts';
import type { Db } from '../db/client.ts';
import type { RawSql } from '../db/raw-sql.ts';
import type { DatabaseProvider } from '../db/url.ts';
import { jsonFor, timestampFor } from './sql-values.ts';

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

// Every generation writes one row: hand-written SQL (../db/raw-sql.ts) costs a fraction of the CPU of
// generation.create (no query compilation, no client pipeline), on the same connection. The values are stored
// as Prisma stores them (sql-values.ts), so findById reads them back the same.
const COLUMNS =
  '"user_id", "conversation_key", "content_type", "query_text", "target_language", "base_language", "level", "content", "output_log_id", "prompt_version", "model", "created_at"';
const INSERT = `INSERT INTO "generations" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`;

export class GenerationRepository {
  constructor(
    private readonly prisma: Db,
    private readonly sql: RawSql,
    private readonly provider: DatabaseProvider,
  ) {}

  async create(g: NewGeneration): Promise<{ id: number }> {
    const rows = await this.sql.query<{ id: number | bigint }>(INSERT, [
      g.userId,
      g.conversationKey,
      g.contentType,
      g.queryText,
      g.targetLanguage,
      g.baseLanguage,
      g.level,
      jsonFor(this.provider, g.content),
      g.outputLogId,
      g.promptVersion,
      g.model,
      timestampFor(this.provider, new Date()),
    ]);
    return { id: Number(rows[0]!.id) };
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
