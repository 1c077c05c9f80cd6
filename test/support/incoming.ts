// Builders for front-door calls as an adapter would make them.
import type { Incoming } from '../../src/commands/front-door.ts';
import type { Platform } from '../../src/core/types.ts';
import type { Logger } from '../../src/logger.ts';

export function incomingFrom(
  logger: Logger,
  user: { id: string; name?: string; locale?: string },
  chat: { id?: string; threadId?: string; isGroup?: boolean; platform?: Platform } = {},
): Incoming {
  const platform = chat.platform ?? 'console';
  return {
    user: { platform, externalId: user.id, displayName: user.name ?? user.id, ...(user.locale ? { locale: user.locale } : {}) },
    conversation: {
      platform,
      chatId: chat.id ?? `chat-${user.id}`,
      ...(chat.threadId ? { threadId: chat.threadId } : {}),
      isGroup: chat.isGroup ?? false,
    },
    log: logger,
  };
}

/** All text of a list of replies, blocks and card fields included, for assertions. */
export function replyText(replies: Array<{ blocks: Array<{ kind: string; text?: string; title?: string; description?: string; fields?: Array<{ label: string; value: string }>; footer?: string }> }> | null): string {
  if (!replies) return '';
  return replies
    .flatMap((r) =>
      r.blocks.map((b) =>
        b.kind === 'text'
          ? b.text
          : [b.title, b.description, ...(b.fields ?? []).map((f) => `${f.label}: ${f.value}`), b.footer].filter(Boolean).join('\n'),
      ),
    )
    .join('\n');
}
