// Finds the JSON object in a model's reply: the whole text, a Markdown code fence, or the first balanced
// {...} inside prose. Servers that ignore response_format (or run in prompt mode) answer like a chat:
// "Here it is: ```json {...} ``` Enjoy!". Nothing is repaired: a cut-off or broken object stays an error, so
// the single repair request (not a guess) fixes it. Small code rather than a library: jsonrepair turns prose
// into an array of strings and silently completes truncated JSON; the extractors on npm are barely used.

export type JsonFromText =
  | { ok: true; value: unknown; /** false when the whole reply was the JSON, true when it had to be cut out */ wrapped: boolean }
  | { ok: false; error: string };

/** How many {...} candidates inside prose are tried before giving up (keeps a hostile reply linear enough). */
const MAX_CANDIDATES = 20;

export function jsonFromText(text: string): JsonFromText {
  const trimmed = text.trim();
  let firstError: string | undefined;
  try {
    return { ok: true, value: JSON.parse(trimmed), wrapped: false };
  } catch (error) {
    firstError = error instanceof Error ? error.message : 'parse error';
  }
  // Reasoning models served without a reasoning parser put their thoughts first; drafts in there are not the answer.
  const visible = trimmed.replace(/<think>[\s\S]*?<\/think>/gi, '');
  for (const block of fencedBlocks(visible)) {
    const parsed = tryParse(block);
    if (parsed.ok) return { ok: true, value: parsed.value, wrapped: true };
  }
  let tried = 0;
  for (let start = visible.indexOf('{'); start !== -1 && tried < MAX_CANDIDATES; start = visible.indexOf('{', start + 1)) {
    const end = balancedEnd(visible, start);
    if (end === -1) break; // never closes: cut off, and every later '{' is inside it
    tried += 1;
    const parsed = tryParse(visible.slice(start, end + 1));
    if (parsed.ok) return { ok: true, value: parsed.value, wrapped: true };
  }
  return { ok: false, error: firstError };
}

/** True when the reply does not start as a JSON object: prose or a fence first, as from a server that ignored response_format. Empty replies are not counted. */
export function startsOutsideJson(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && !trimmed.startsWith('{');
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text.trim()) };
  } catch {
    return { ok: false };
  }
}

/** Contents of ``` fences (any info string: json, JSON, none), in order. */
function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  for (const match of text.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)) blocks.push(match[1]!);
  return blocks;
}

/** Index of the '}' that closes the '{' at `start`, skipping braces inside strings; -1 if it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}
