import type { Db } from '../db/client.ts';
import type { RawSql } from '../db/raw-sql.ts';
import type { DatabaseProvider } from '../db/url.ts';
import type { MessageRef } from '../types.ts';
import { timestampFor } from './sql-values.ts';

// Every reply the bot sends is remembered: one hand-written upsert (what platformMessage.upsert sends, without
// the query compiler's CPU per call; see generation-repository.ts).
const COLUMNS = '"platform", "chat_id", "message_id", "generation_id", "simulation_session_id", "created_at"';
const ON_CONFLICT =
  'ON CONFLICT ("platform", "chat_id", "message_id") DO UPDATE SET "generation_id" = excluded."generation_id", "simulation_session_id" = excluded."simulation_session_id"';
const REMEMBER = `INSERT INTO "platform_messages" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ${ON_CONFLICT}`;

/** Messages the bot sent, so a reaction or a reply to one can be traced to its content or simulation. */
export class PlatformMessageRepository {
  constructor(
    private readonly prisma: Db,
    private readonly sql: RawSql,
    private readonly provider: DatabaseProvider,
  ) {}

  async remember(message: MessageRef, link: { generationId?: number; simulationSessionId?: number }): Promise<void> {
    await this.sql.execute(REMEMBER, [
      message.platform,
      message.chatId,
      message.messageId,
      link.generationId ?? null,
      link.simulationSessionId ?? null,
      timestampFor(this.provider, new Date()),
    ]);
  }

  find(message: MessageRef) {
    return this.prisma.platformMessage.findUnique({
      where: { platform_chatId_messageId: { platform: message.platform, chatId: message.chatId, messageId: message.messageId } },
    });
  }
}
