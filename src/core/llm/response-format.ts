// response_format (json_schema, strict) for a zod schema, built once per schema and name.
// zodResponseFormat throws for shapes strict mode cannot express (e.g. .optional() without .nullable()).
import type { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';

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
