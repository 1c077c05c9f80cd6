// The prompt version of a generation: a short hash of what shapes the model's answer apart from the learner's
// request: the prompt template (rendered with fixed placeholder inputs, so only the template's own text counts)
// and the JSON schema sent as the structured output. Computed at run time from the code that builds the
// request, so any change to a template, the system prompt or a schema gives a new version, with nothing to bump
// by hand. Ratings can then be compared across prompt changes (the dashboard's Quality page).
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { LlmMessage } from '../llm/types.ts';
import { responseFormatFor } from '../llm/response-format.ts';

/** Hex digits kept: 8 (32 bits) tell apart the few versions a deployment ever has. */
const VERSION_LENGTH = 8;

const cache = new WeakMap<object, Map<string, string>>();

/**
 * The version of a template + schema. `template` renders the prompt with placeholder inputs (the same every
 * call); it is called once per schema and name in a process.
 */
export function promptVersion(schemaName: string, schema: z.ZodType, template: () => LlmMessage[]): string {
  let byName = cache.get(schema);
  if (!byName) {
    byName = new Map();
    cache.set(schema, byName);
  }
  let version = byName.get(schemaName);
  if (!version) {
    version = hashOf(template(), responseFormatFor(schema, schemaName));
    byName.set(schemaName, version);
  }
  return version;
}

function hashOf(messages: LlmMessage[], responseFormat: unknown): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(messages));
  hash.update('\u0000');
  hash.update(JSON.stringify(responseFormat));
  return hash.digest('hex').slice(0, VERSION_LENGTH);
}

/** Placeholder inputs for rendering a template: what varies per request is the same in every rendering. */
export const TEMPLATE_PINS = { targetLanguage: 'es', baseLanguage: 'en', level: 'A2', topic: '{topic}' } as const;
