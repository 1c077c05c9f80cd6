// The JSON in a model's reply, whether bare, fenced or inside prose; nothing broken is "repaired".
import { describe, expect, it } from 'vitest';
import { jsonFromText, startsOutsideJson } from '../../src/core/llm/json-from-text.ts';

describe('jsonFromText', () => {
  it('takes a bare reply as it is', () => {
    expect(jsonFromText('  {"a": 1, "b": [2, 3]}\n')).toEqual({ ok: true, value: { a: 1, b: [2, 3] }, wrapped: false });
  });

  it('cuts the JSON out of a ```json fence with prose around it', () => {
    const reply = 'Sure! Here is the JSON you asked for:\n\n```json\n{\n  "title": "En la cocina",\n  "n": 2\n}\n```\n\nLet me know!';
    expect(jsonFromText(reply)).toEqual({ ok: true, value: { title: 'En la cocina', n: 2 }, wrapped: true });
  });

  it('takes a fence with another or no info string', () => {
    expect(jsonFromText('```\n{"a": 1}\n```')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(jsonFromText('```JSON\n{"a": 1}```')).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it('finds an unfenced object inside prose, with braces and quotes inside its strings', () => {
    const reply = 'Of course {not this}. Here: {"reply": "Use {curly} and \\"quotes\\" }", "n": 1} Hope it helps.';
    expect(jsonFromText(reply)).toEqual({ ok: true, value: { reply: 'Use {curly} and "quotes" }', n: 1 }, wrapped: true });
  });

  it('skips a draft inside a <think> block', () => {
    const reply = '<think>Maybe {"n": 0}? No.</think>\n{"n": 1}';
    expect(jsonFromText(reply)).toMatchObject({ ok: true, value: { n: 1 } });
  });

  it('does not complete a cut-off object or invent JSON from prose', () => {
    const cut = jsonFromText('{"cards": [{"front": "a"}, {"front": "b"');
    expect(cut.ok).toBe(false);
    expect(jsonFromText('{"this is": not JSON at all').ok).toBe(false);
    const prose = jsonFromText('Sure! Here are a few ideas for you to practise with.');
    expect(prose.ok).toBe(false);
    expect(!prose.ok && prose.error).toMatch(/JSON|token/i);
  });
});

describe('startsOutsideJson', () => {
  it('is true for prose or a fence first, false for bare JSON and for an empty reply', () => {
    expect(startsOutsideJson('Here it is: {"a": 1}')).toBe(true);
    expect(startsOutsideJson('```json\n{"a": 1}\n```')).toBe(true);
    expect(startsOutsideJson('\n {"a": 1}')).toBe(false);
    expect(startsOutsideJson('{"a": broken')).toBe(false); // broken, but a JSON-mode server's kind of broken
    expect(startsOutsideJson('   ')).toBe(false);
  });
});
