// Button payloads: a typed, versioned codec whose output fits every platform
// (Telegram callback_data ≤ 64 bytes, Discord custom_id ≤ 100 characters).
// Format: "1|<kind>|<int>|<int>…" — only ASCII digits and short kind codes, so the byte length is bounded.

export const ACTION_VERSION = '1';
export const MAX_ACTION_BYTES = 64;

export type ActionPayload =
  /** Rate a generation 1–5. */
  | { kind: 'rate'; generationId: number; rating: number }
  /** Save a generation to one's saved items. */
  | { kind: 'save'; generationId: number }
  /** Reveal the back of flashcard `card` of a flashcard generation. */
  | { kind: 'reveal'; generationId: number; card: number }
  /** Answer question `question` of an exercise generation with choice `choice`. `owner` may answer (0 = anyone). */
  | { kind: 'answer'; generationId: number; question: number; choice: number; owner: number }
  /** Show question `question` of an exercise generation (next question). */
  | { kind: 'question'; generationId: number; question: number; owner: number }
  /** End a simulation session. */
  | { kind: 'end'; sessionId: number }
  /** Show the back of review card `cardId`, with the grade buttons. */
  | { kind: 'flip'; cardId: number }
  /** Grade review card `cardId`: 1 Again, 2 Hard, 3 Good, 4 Easy. */
  | { kind: 'grade'; cardId: number; grade: number }
  /** Put question `question` of an exercise generation into one's review deck. */
  | { kind: 'card'; generationId: number; question: number }
  /** Confirm /forget: delete learner `userId` (only that learner may press it). */
  | { kind: 'forget'; userId: number }
  /** Undo account link `undoId` (only the account that made the link code, within 24 hours). */
  | { kind: 'unlink'; undoId: number }
  /** Accept the level proposed to learner `userId`: CEFR level number `level` (1 = A1 … 6 = C2). Only they may. */
  | { kind: 'level'; userId: number; level: number }
  /** Hear card `card` of a flashcard generation spoken (🔊 under the revealed cards). */
  | { kind: 'listen'; generationId: number; card: number }
  /** Hear the tutor's line number `seq` of simulation session `sessionId` spoken (🔊 under a role-play line). */
  | { kind: 'hear'; sessionId: number; seq: number };

type Kind = ActionPayload['kind'];

// Field order per kind; the codes are short to keep payloads small. Never reuse a code for another meaning.
const FIELDS = {
  rate: { code: 'r', fields: ['generationId', 'rating'] },
  save: { code: 's', fields: ['generationId'] },
  reveal: { code: 'v', fields: ['generationId', 'card'] },
  answer: { code: 'a', fields: ['generationId', 'question', 'choice', 'owner'] },
  question: { code: 'q', fields: ['generationId', 'question', 'owner'] },
  end: { code: 'e', fields: ['sessionId'] },
  flip: { code: 'f', fields: ['cardId'] },
  grade: { code: 'g', fields: ['cardId', 'grade'] },
  card: { code: 'c', fields: ['generationId', 'question'] },
  forget: { code: 'x', fields: ['userId'] },
  unlink: { code: 'u', fields: ['undoId'] },
  level: { code: 'p', fields: ['userId', 'level'] },
  listen: { code: 'l', fields: ['generationId', 'card'] },
  hear: { code: 'h', fields: ['sessionId', 'seq'] },
} as const satisfies Record<Kind, { code: string; fields: readonly string[] }>;

const BY_CODE = new Map<string, { kind: Kind; fields: readonly string[] }>(
  Object.entries(FIELDS).map(([kind, def]) => [def.code, { kind: kind as Kind, fields: def.fields }]),
);

export function encodeAction(payload: ActionPayload): string {
  const def = FIELDS[payload.kind];
  const values = def.fields.map((field) => {
    const value = (payload as unknown as Record<string, number>)[field];
    if (!Number.isSafeInteger(value) || value! < 0) throw new Error(`action ${payload.kind}: ${field} must be a non-negative integer`);
    return String(value);
  });
  const data = [ACTION_VERSION, def.code, ...values].join('|');
  if (Buffer.byteLength(data) > MAX_ACTION_BYTES) throw new Error(`action payload longer than ${MAX_ACTION_BYTES} bytes`);
  return data;
}

/** Returns undefined for anything that is not a well-formed payload of this version (stale or forged buttons). */
export function decodeAction(data: string): ActionPayload | undefined {
  if (typeof data !== 'string' || data.length > MAX_ACTION_BYTES) return undefined;
  const [version, code, ...values] = data.split('|');
  if (version !== ACTION_VERSION || code === undefined) return undefined;
  const def = BY_CODE.get(code);
  if (!def || values.length !== def.fields.length) return undefined;
  const payload: Record<string, unknown> = { kind: def.kind };
  for (const [i, field] of def.fields.entries()) {
    const raw = values[i]!;
    if (!/^\d{1,12}$/.test(raw)) return undefined;
    payload[field] = Number(raw);
  }
  if (payload.kind === 'rate' && !((payload.rating as number) >= 1 && (payload.rating as number) <= 5)) return undefined;
  if (payload.kind === 'level' && !((payload.level as number) >= 1 && (payload.level as number) <= 6)) return undefined;
  if (payload.kind === 'grade' && !((payload.grade as number) >= 1 && (payload.grade as number) <= 4)) return undefined;
  return payload as ActionPayload;
}
