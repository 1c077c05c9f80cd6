// Turns a streamed reply into a checked value, or into a short description of what is wrong with it
// (used in the single repair request and in logs).
import type { z } from 'zod';
import type { CompletionReply } from './stream-completion.ts';
import { cutText } from '../safe-text.ts';
import { jsonFromText } from './json-from-text.ts';

export type ReplyVerdict<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; reason: string }
  | { kind: 'invalid'; problem: string } // not JSON or not matching the schema
  | { kind: 'check'; problem: string }; // valid, but the request's own check() failed

const MAX_ISSUES = 8;
const MAX_PROBLEM_CHARS = 600;

export function judgeReply<T>(
  reply: CompletionReply,
  schema: z.ZodType<T>,
  check?: (value: T) => string | undefined,
): ReplyVerdict<T> {
  if (reply.refusal.trim() || reply.finishReason === 'content_filter') {
    return { kind: 'refused', reason: reply.refusal.trim() || 'content_filter' };
  }
  const cutOff = reply.finishReason === 'length' ? ' The reply was cut off: keep it shorter.' : '';
  // The JSON may come fenced or inside prose (servers that ignore response_format, prompt mode).
  const found = jsonFromText(reply.content);
  if (!found.ok) return { kind: 'invalid', problem: clip(`The reply was not valid JSON (${found.error}).${cutOff}`) };
  const parsed = schema.safeParse(found.value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, MAX_ISSUES)
      .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    return { kind: 'invalid', problem: clip(`The JSON does not match the schema: ${issues.join('; ')}.${cutOff}`) };
  }
  const problem = check?.(parsed.data);
  if (problem) return { kind: 'check', problem: clip(problem) };
  return { kind: 'ok', value: parsed.data };
}

export function repairInstruction(problem: string): string {
  return `Your previous reply could not be used. ${problem} Reply again with only the corrected JSON object, following the required schema, with no other text.`;
}

function clip(text: string): string {
  return text.length > MAX_PROBLEM_CHARS ? `${cutText(text, MAX_PROBLEM_CHARS - 1)}…` : text;
}
