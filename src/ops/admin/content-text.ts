// A generation's content as plain text, close to what the learner was shown (the card, the questions, the
// scenario, the lessons); anything else as indented JSON. The result is text: the page escapes it.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown) => (typeof v === 'string' ? v : '');

export function contentText(content: unknown): string {
  if (!isObj(content)) return JSON.stringify(content, null, 2) ?? '';
  const lines: string[] = [];
  if (content.title) lines.push(s(content.title));
  if (Array.isArray(content.cards)) {
    for (const card of content.cards.filter(isObj)) {
      lines.push(`• ${s(card.word)} — ${s(card.translation)}`, `  ${s(card.example)}${card.exampleTranslation ? ` (${s(card.exampleTranslation)})` : ''}`);
    }
    return lines.join('\n');
  }
  if (Array.isArray(content.questions)) {
    content.questions.filter(isObj).forEach((q, i) => {
      const choices = Array.isArray(q.choices) ? q.choices.map(String).join(' / ') : '';
      lines.push(`${i + 1}. ${s(q.prompt)}`, `   ${choices}`, `   answer: ${s(q.answer)} — ${s(q.explanation)}`);
    });
    return lines.join('\n');
  }
  if (content.openingLine) {
    lines.push(s(content.setting), `${s(content.botRole)} / ${s(content.learnerRole)}`, `“${s(content.openingLine)}”`);
    return lines.join('\n');
  }
  if (Array.isArray(content.lessons)) {
    content.lessons.filter(isObj).forEach((l, i) => lines.push(`${i + 1}. ${s(l.subTopic)}: ${s(l.description)}`));
    return lines.join('\n');
  }
  return JSON.stringify(content, null, 2);
}
