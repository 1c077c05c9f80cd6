// Anki's text import: tab-separated front, back and tags, with the file headers Anki reads
// (https://docs.ankiweb.net/importing/text-files.html). Fields follow CSV quoting: a field containing a tab,
// a line break or a double quote is put in double quotes with its quotes doubled, so Anki keeps it one field
// (and, with #html:false, shows the line breaks). A leading '#' is quoted too: unquoted, Anki reads it as a comment.
import type { ExerciseSet, FlashcardSet } from '../../content/schemas.ts';

export interface AnkiSource {
  id: number;
  type: string;
  content: unknown;
  targetLanguage: string | null;
}

export interface AnkiRow {
  front: string;
  back: string;
  tags: string[];
}

export const ANKI_HEADER = ['#separator:tab', '#html:false', '#tags column:3'];

/** One row per flashcard card and per exercise question; other saved types have no cards. */
export function ankiRows(items: AnkiSource[]): AnkiRow[] {
  return items.flatMap((item) => {
    const tags = ['tutor', `saved-${item.id}`, ...(item.targetLanguage ? [item.targetLanguage] : []), item.type];
    if (item.type === 'flashcards') {
      return (item.content as FlashcardSet).cards.map((c) => ({
        front: c.word,
        back: [c.translation, c.exampleTranslation ? `${c.example} (${c.exampleTranslation})` : c.example].join('\n'),
        tags,
      }));
    }
    if (item.type === 'exercises') {
      return (item.content as ExerciseSet).questions.map((q) => ({
        front: q.kind === 'multiple_choice' ? `${q.prompt}\n${q.choices.join(' / ')}` : q.prompt,
        back: `${q.answer}\n${q.explanation}`,
        tags,
      }));
    }
    return [];
  });
}

export function ankiTsv(rows: AnkiRow[]): string {
  const lines = rows.map((r) => [r.front, r.back, r.tags.map(tagSafe).join(' ')].map(field).join('\t'));
  return [...ANKI_HEADER, ...lines].join('\n') + '\n';
}

function field(value: string): string {
  return /[\t\r\n"]|^#/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Anki separates tags by spaces. */
function tagSafe(tag: string): string {
  return tag.replace(/\s+/g, '_');
}
