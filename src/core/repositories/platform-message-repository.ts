import type { Db } from '../db/client.ts';
import type { MessageRef } from '../types.ts';

/** Messages the bot sent, so a reaction or a reply to one can be traced to its content or simulation. */
export class PlatformMessageRepository {
  constructor(private readonly prisma: Db) {}

  async remember(message: MessageRef, link: { generationId?: number; simulationSessionId?: number }): Promise<void> {
    const key = { platform: message.platform, chatId: message.chatId, messageId: message.messageId };
    const data = { generationId: link.generationId ?? null, simulationSessionId: link.simulationSessionId ?? null };
    await this.prisma.platformMessage.upsert({
      where: { platform_chatId_messageId: key },
      create: { ...key, ...data },
      update: data,
    });
  }

  find(message: MessageRef) {
    return this.prisma.platformMessage.findUnique({
      where: { platform_chatId_messageId: { platform: message.platform, chatId: message.chatId, messageId: message.messageId } },
    });
  }
}
