// Files learners send with a command: a slash command's attachment option, or a file on a '/command'
// message. Downloaded from Discord's CDN with a size cap, so a huge upload never fills memory.
import type { Attachment } from 'discord.js';
import type { Translator } from '../../core/i18n/index.ts';
import { MAX_INCOMING_ATTACHMENT_BYTES, type IncomingAttachment } from '../../core/types.ts';

const DOWNLOAD_TIMEOUT_MS = 30_000;

export type Download = { ok: true; attachment: IncomingAttachment } | { ok: false; reason: 'too-large' | 'failed' };

export const MAX_ATTACHMENT_MB = Math.round(MAX_INCOMING_ATTACHMENT_BYTES / 1024 / 1024);

export async function downloadAttachment(file: Pick<Attachment, 'url' | 'name' | 'size'>, maxBytes = MAX_INCOMING_ATTACHMENT_BYTES): Promise<Download> {
  if (file.size > maxBytes) return { ok: false, reason: 'too-large' };
  try {
    const response = await fetch(file.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok || !response.body) return { ok: false, reason: 'failed' };
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      // The declared size is the uploader's word: count what actually arrives.
      if (total > maxBytes) return { ok: false, reason: 'too-large' };
      chunks.push(chunk);
    }
    return { ok: true, attachment: { filename: file.name, data: new Uint8Array(Buffer.concat(chunks)) } };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

/** What to tell the learner when their file could not be taken. */
export function downloadProblem(t: Translator, reason: 'too-large' | 'failed'): string {
  return reason === 'too-large' ? t('discord.fileTooLarge', { max: MAX_ATTACHMENT_MB }) : t('discord.fileDownloadFailed');
}
