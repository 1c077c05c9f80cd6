// Which structured-output mode to ask a server for, learned once per process for each base URL + model.
//   json_schema  response_format json_schema (strict): the server enforces the schema (OpenAI, vLLM, llama.cpp, …)
//   json_object  response_format json_object, the schema written into the system prompt (JSON-mode-only servers)
//   prompt       no response_format, the schema in the prompt, the JSON cut out of the text (fenced or not)
// LLM_STRUCTURED_OUTPUT=auto starts at json_schema and steps down on evidence:
//   - a 400/422 whose error names response_format → the next mode, and the same request is sent again (one extra);
//   - twice in a row a successful reply that shows the schema never reached the model → json_object, which puts
//     the schema where such a server's model can read it. Such a reply starts with prose or a code fence instead
//     of JSON, or (answering json_schema) lacks a property the schema requires: a server that enforces the
//     schema can produce neither. Only a reply that honoured json_schema breaks the run.
// A fixed setting never switches. Each switch is logged once (the endpoint, the modes, the server's reason).
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { Logger } from '../../logger.ts';
import { scrubSecrets } from '../../logger.ts';
import { LlmRequestError } from './errors.ts';
import { jsonFromText, startsOutsideJson } from './json-from-text.ts';

export const STRUCTURED_OUTPUT_SETTINGS = ['auto', 'json_schema', 'json_object', 'prompt'] as const;
export type StructuredOutputSetting = (typeof STRUCTURED_OUTPUT_SETTINGS)[number];
export type StructuredOutputMode = Exclude<StructuredOutputSetting, 'auto'>;

const LADDER: readonly StructuredOutputMode[] = ['json_schema', 'json_object', 'prompt'];
/** Replies in a row that never saw the schema before json_schema is given up as ignored. */
const IGNORED_AFTER = 2;
const MAX_DETAIL_CHARS = 300;

export interface StructuredModes {
  /** The mode to send the next request in. */
  current(): StructuredOutputMode;
  /** After a request in `sent` failed: the mode to send it again in, or undefined (not a refusal of response_format, fixed setting, or nothing lower). */
  afterRejection(sent: StructuredOutputMode, error: unknown): StructuredOutputMode | undefined;
  /** After a successful reply to a request in `sent`: true when the reply shows the schema never reached the model. */
  afterReply(sent: StructuredOutputMode, content: string, format: ResponseFormatJSONSchema): boolean;
  /** The mode of the single repair request; after a reply that never saw the schema, the schema goes into the prompt. */
  repairMode(sent: StructuredOutputMode, schemaUnseen: boolean): StructuredOutputMode;
}

export function createStructuredModes(
  setting: StructuredOutputSetting,
  endpoint: { baseURL: string; model: string },
  logger: Logger,
): StructuredModes {
  // One client talks to one base URL and model; the key keeps the memory honest if that ever changes.
  const key = `${endpoint.baseURL} ${endpoint.model}`;
  const learned = new Map<string, { mode: StructuredOutputMode; unseenInARow: number }>();
  const state = () => {
    let entry = learned.get(key);
    if (!entry) {
      entry = { mode: setting === 'auto' ? 'json_schema' : setting, unseenInARow: 0 };
      learned.set(key, entry);
    }
    return entry;
  };

  /** Moves down to `to` (never up); logs only the call that actually moved it, so concurrent failures log once. */
  const lower = (to: StructuredOutputMode, reason: 'rejected' | 'ignored', detail?: string) => {
    const entry = state();
    if (LADDER.indexOf(to) <= LADDER.indexOf(entry.mode)) return;
    const from = entry.mode;
    entry.mode = to;
    entry.unseenInARow = 0;
    logger.warn(
      { endpoint: describeEndpoint(endpoint.baseURL), model: endpoint.model, from, to, reason, ...(detail ? { detail } : {}) },
      'llm structured-output mode switched for this process',
    );
  };

  return {
    current: () => state().mode,
    afterRejection(sent, error) {
      if (setting !== 'auto') return undefined;
      const detail = formatRejection(error);
      const next = LADDER[LADDER.indexOf(sent) + 1];
      if (detail === undefined || !next) return undefined;
      lower(next, 'rejected', detail);
      return state().mode;
    },
    afterReply(sent, content, format) {
      const entry = state();
      const unseen = startsOutsideJson(content) || (sent === 'json_schema' && lacksRequiredProperty(content, format));
      if (!unseen) {
        if (sent === 'json_schema') entry.unseenInARow = 0;
        return false;
      }
      entry.unseenInARow += 1;
      if (setting === 'auto' && entry.mode === 'json_schema' && entry.unseenInARow >= IGNORED_AFTER) lower('json_object', 'ignored');
      return true;
    },
    repairMode(sent, schemaUnseen) {
      if (setting !== 'auto') return setting;
      const wanted = schemaUnseen && sent === 'json_schema' ? 'json_object' : sent;
      const now = state().mode;
      return LADDER.indexOf(now) > LADDER.indexOf(wanted) ? now : wanted;
    },
  };
}

/**
 * Sends in `mode`; when the server refuses that response_format, sends once more in the next mode (at most one
 * extra request per switch). Returns the reply and the mode it came in.
 */
export async function sendFallingBack<R>(
  modes: StructuredModes,
  mode: StructuredOutputMode,
  send: (mode: StructuredOutputMode) => Promise<R>,
): Promise<{ reply: R; mode: StructuredOutputMode }> {
  for (;;) {
    try {
      return { reply: await send(mode), mode };
    } catch (error) {
      const next = modes.afterRejection(mode, error);
      if (next === undefined) throw error;
      mode = next;
    }
  }
}

/** A JSON object reply without one of the schema's top-level required properties (broken JSON says nothing here). */
function lacksRequiredProperty(content: string, format: ResponseFormatJSONSchema): boolean {
  const required = format.json_schema.schema?.['required'];
  if (!Array.isArray(required)) return false;
  const found = jsonFromText(content);
  if (!found.ok || typeof found.value !== 'object' || found.value === null || Array.isArray(found.value)) return false;
  const value = found.value as Record<string, unknown>;
  return required.some((name) => typeof name === 'string' && !(name in value));
}

/**
 * The server's words when it refused the request because of response_format, else undefined. Servers say it in
 * a 400 (422 for some validators): OpenAI "Invalid parameter: 'response_format' of type 'json_schema' is not
 * supported with this model", DeepSeek "This response_format type is unavailable now", LM Studio
 * "'response_format.type' must be 'json_schema' or 'text'", llama.cpp "response_format type must be one of …".
 */
function formatRejection(error: unknown): string | undefined {
  if (!(error instanceof LlmRequestError) || (error.status !== 400 && error.status !== 422)) return undefined;
  if (!/response[_ ]format|json_schema|json_object/i.test(error.message)) return undefined;
  const text = scrubSecrets(error.message);
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}

/** Host and path of the base URL, without credentials or query. */
function describeEndpoint(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid base URL)';
  }
}
