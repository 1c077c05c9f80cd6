// Turns a streamed reply into a checked value, or into a short description of what is wrong with it
// (used in the single repair request and in logs).
import type * as z from 'zod';
import type { CompletionReply } from './stream-completion.ts';
import type { ReplyProblem } from './types.ts';
import { cutText } from '../safe-text.ts';
import { jsonFromText } from './json-from-text.ts';

export type ReplyVerdict<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; reason: string }
  | { kind: 'invalid'; problem: string } // not JSON or not matching the schema
  | { kind: 'check'; problem: string; problems: readonly ReplyProblem[]; value: T }; // valid, but the request's own check() found problems

const MAX_ISSUES = 8;
const MAX_PROBLEM_CHARS = 600;

export function judgeReply<T>(
  reply: CompletionReply,
  schema: z.ZodType<T>,
  check?: (value: T) => string | readonly ReplyProblem[] | undefined,
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
  const checked = check?.(parsed.data);
  const problems: readonly ReplyProblem[] = typeof checked === 'string' ? [{ kind: 'check', detail: checked, blocking: true }] : (checked ?? []);
  if (problems.length > 0) return { kind: 'check', problem: describeProblems(problems), problems, value: parsed.data };
  return { kind: 'ok', value: parsed.data };
}

/**
 * The verdict on the repair reply, given the first one's. Problems that are not blocking (a faulty item the
 * caller can drop) do not end the generation: the repair reply is used when it has only such problems, and the
 * first reply is used when it had only such problems and the repair reply is no better.
 */
export function settleAfterRepair<T>(first: ReplyVerdict<T>, repair: ReplyVerdict<T>): ReplyVerdict<T> {
  const mendable = (v: ReplyVerdict<T>): v is Extract<ReplyVerdict<T>, { kind: 'check' }> => v.kind === 'check' && v.problems.every((p) => !p.blocking);
  if (mendable(repair)) return { kind: 'ok', value: repair.value };
  if (repair.kind !== 'ok' && mendable(first)) return { kind: 'ok', value: first.value };
  return repair;
}

export function repairInstruction(problem: string): string {
  return `Your previous reply could not be used. ${problem} Reply again with only the corrected JSON object, following the required schema, with no other text.`;
}

/** Every problem in one short text, numbered (checks give one problem per kind, naming where it is). */
function describeProblems(problems: readonly ReplyProblem[]): string {
  if (problems.length === 1) return clip(problems[0]!.detail);
  return clip(problems.map((p, i) => `${i + 1}) ${p.detail}`).join(' '));
}

function clip(text: string): string {
  return text.length > MAX_PROBLEM_CHARS ? `${cutText(text, MAX_PROBLEM_CHARS - 1)}…` : text;
}
