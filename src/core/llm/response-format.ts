// response_format (json_schema, strict) for a zod schema, built once per schema and name; and what a request
// carries in each structured-output mode (see structured-mode.ts).
// zodResponseFormat throws for shapes strict mode cannot express (e.g. .optional() without .nullable()).
import type * as z from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { LlmMessage } from './types.ts';
import type { StructuredOutputMode } from './structured-mode.ts';

const cache = new WeakMap<object, Map<string, ResponseFormatJSONSchema>>();

export function responseFormatFor(schema: z.ZodType, name: string): ResponseFormatJSONSchema {
  let byName = cache.get(schema);
  if (!byName) {
    byName = new Map();
    cache.set(schema, byName);
  }
  let format = byName.get(name);
  if (!format) {
    const built = zodResponseFormat(schema, name);
    // Keep only the wire fields (the helper also carries a non-enumerable parser).
    format = { type: 'json_schema', json_schema: built.json_schema };
    byName.set(name, format);
  }
  return format;
}

/**
 * The response_format and messages of a request in `mode`. Outside json_schema the server does not see the
 * schema, so it goes at the end of the system message: the part before it stays the shared, cacheable prefix,
 * and the whole message stays the same for every request of one schema.
 */
export function requestShape(
  mode: StructuredOutputMode,
  format: ResponseFormatJSONSchema,
  messages: LlmMessage[],
): { response_format?: ResponseFormatJSONSchema | ResponseFormatJSONObject; messages: LlmMessage[] } {
  if (mode === 'json_schema') return { response_format: format, messages };
  const [system, ...rest] = messages;
  const withSchema = system?.role === 'system'
    ? [{ role: 'system' as const, content: `${system.content}\n\n${schemaInstruction(format)}` }, ...rest]
    : [{ role: 'system' as const, content: schemaInstruction(format) }, ...messages];
  return mode === 'json_object' ? { response_format: { type: 'json_object' }, messages: withSchema } : { messages: withSchema };
}

/** The schema as the model reads it. JSON mode servers (DeepSeek, OpenAI) also require the word "JSON" in the prompt. */
export function schemaInstruction(format: ResponseFormatJSONSchema): string {
  return [
    'Reply with one JSON object and nothing else: no Markdown code fence, no text before or after it.',
    `It must match this JSON Schema named "${format.json_schema.name}":`,
    JSON.stringify(format.json_schema.schema ?? {}),
  ].join('\n');
}
