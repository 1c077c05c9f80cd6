// The fake model for personalised content (issue 14): the tutor content of tutor-responder.ts, except that
// every flashcard set starts with "La cebolla" on purpose (a word the learner may know already: the bot must
// filter it), and exercises follow the prompt's "Words the learner is practising" line the way a compliant
// model would: exactly as many questions as asked use those words.
import type { FakeOpenAIRequest } from './fake-openai.ts';
import { tutorContent } from './tutor-responder.ts';

export const KNOWN_WORD = 'la cebolla';

const KITCHEN = [
  ['el cuchillo', 'the knife'], ['la sartén', 'the frying pan'], ['la olla', 'the pot'], ['el horno', 'the oven'],
  ['la cuchara', 'the spoon'], ['el plato', 'the plate'], ['la receta', 'the recipe'], ['el tenedor', 'the fork'],
  ['el vaso', 'the glass'], ['la taza', 'the cup'], ['el ajo', 'the garlic'], ['la harina', 'the flour'],
] as const;

export function practisedWords(task: string): { words: string[]; atLeast: number } | undefined {
  const m = /Words the learner is practising[^:]*: <model_text>(.*?)<\/model_text>\. At least (\d+)/.exec(task);
  return m ? { words: m[1]!.split(' | '), atLeast: Number(m[2]) } : undefined;
}

export function personalContent(req: FakeOpenAIRequest): unknown {
  const content = tutorContent(req) as any;
  const task = req.messages.map((m) => m.content).join('\n');
  if (req.schemaName === 'flashcards' && content) {
    // Like a model that mostly listens: skips the words it was told are known or made, except the onion.
    const told = [...task.matchAll(/(?:knows these already|Already made)[^<]*<model_text>(.*?)<\/model_text>/g)].flatMap((m) => m[1]!.toLowerCase().split(' | '));
    const fresh = KITCHEN.filter(([word]) => !told.includes(word)).map(([word, translation]) => ({ word, translation, example: `Necesito ${word}.`, exampleTranslation: `I need ${translation}.` }));
    const onion = { word: 'La cebolla', translation: 'the onion', example: 'Corto la cebolla.', exampleTranslation: 'I cut the onion.' };
    // A follow-up ("make more") gets the onion on top of the number asked: it must be filtered there too.
    const followUp = task.includes('came out short');
    content.cards = [onion, ...fresh].slice(0, content.cards.length + (followUp ? 1 : 0));
  }
  if (req.schemaName === 'exercises' && content) {
    const practise = practisedWords(task);
    practise?.words.slice(0, practise.atLeast).forEach((word, i) => {
      const q = content.questions[i];
      if (q) Object.assign(q, { kind: 'multiple_choice', prompt: `¿Qué significa "${word}"?`, choices: [`meaning of ${word}`, 'the table', 'the chair'], answer: `meaning of ${word}` });
    });
  }
  return content;
}
