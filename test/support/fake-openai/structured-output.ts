// How the fake OpenAI server treats response_format, like the kinds of real servers the tutor meets:
//   'json_schema'              honours json_schema and json_object (OpenAI, vLLM, llama.cpp, LM Studio for json_schema)
//   'json_object-only'         refuses json_schema with 400, as DeepSeek's API does ("This response_format type is
//                              unavailable now", type invalid_request_error); json_object works
//   'no-response-format'       refuses any response_format with 400 (a server that knows neither mode)
//   'ignores-response-format'  accepts anything, never enforces it, and answers like a chat model: prose around a
//                              ```json fence (older Ollama ignored json_schema this way)
// Like a model, the fake knows the schema only from where the server hands it over: response_format when it
// honours json_schema, else the "JSON Schema named …" the client wrote into the system prompt (none: prose).

export type FakeStructuredOutput = 'json_schema' | 'json_object-only' | 'no-response-format' | 'ignores-response-format';

export interface SeenSchema {
  name?: string;
  schema?: any;
}

/** The 400 the server answers before doing anything, or undefined when it takes the request. */
export function refusalFor(mode: FakeStructuredOutput, body: any): { status: number; body: unknown } | undefined {
  const type = body?.response_format?.type;
  if (type === undefined || type === 'text') return undefined;
  if (mode === 'json_object-only' && type === 'json_schema') {
    // DeepSeek's shape (param null, code invalid_request_error).
    return { status: 400, body: { error: { message: 'This response_format type is unavailable now', type: 'invalid_request_error', param: null, code: 'invalid_request_error' } } };
  }
  if (mode === 'no-response-format') {
    // OpenAI's shape for an unsupported parameter.
    return { status: 400, body: { error: { message: `Invalid parameter: 'response_format' of type '${type}' is not supported with this model.`, type: 'invalid_request_error', param: 'response_format', code: null } } };
  }
  return undefined;
}

/** The schema the fake "model" gets to see for this request. */
export function seenSchema(mode: FakeStructuredOutput, body: any, messages: Array<{ content: string }>): SeenSchema {
  const format = body?.response_format;
  if (mode !== 'ignores-response-format' && format?.type === 'json_schema') {
    return { name: format.json_schema?.name, schema: format.json_schema?.schema };
  }
  return schemaInPrompt(messages);
}

/** The last "JSON Schema named "x":" followed by the schema as JSON at the end of a message. */
export function schemaInPrompt(messages: Array<{ content: string }>): SeenSchema {
  for (const message of [...messages].reverse()) {
    const match = /JSON Schema named "([^"]+)":\s*\n(\{[\s\S]*\})\s*$/.exec(message.content);
    if (!match) continue;
    try {
      return { name: match[1], schema: JSON.parse(match[2]!) };
    } catch {
      // not a schema after all
    }
  }
  return {};
}

/** What a chat model that ignores response_format writes around its JSON; without a schema it writes no JSON at all. */
export function chatStyle(json: string | undefined): string {
  if (json === undefined) return 'Sure! Here are a few ideas for you to practise with. Let me know if you would like more.';
  let pretty = json;
  try {
    pretty = JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    // send it as it is
  }
  return `Sure! Here is the JSON you asked for:\n\n\`\`\`json\n${pretty}\n\`\`\`\n\nLet me know if you need anything else.`;
}
