// Plausible tutor content for the fake OpenAI server, shaped by what the prompt asks for
// (number of cards/questions/lessons), so end-to-end tests see realistic, schema-valid replies.
import type { FakeOpenAIRequest } from './fake-openai.ts';

const WORDS = [
  ['el cuchillo', 'the knife'],
  ['la sartén', 'the frying pan'],
  ['la olla', 'the pot'],
  ['el horno', 'the oven'],
  ['la cuchara', 'the spoon'],
  ['el plato', 'the plate'],
  ['la receta', 'the recipe'],
  ['cortar', 'to cut'],
  ['hervir', 'to boil'],
  ['freír', 'to fry'],
  ['el delantal', 'the apron'],
  ['la harina', 'the flour'],
  ['el tenedor', 'the fork'],
  ['la nevera', 'the fridge'],
  ['el vaso', 'the glass'],
  ['la taza', 'the cup'],
  ['el azúcar', 'the sugar'],
  ['la sal', 'the salt'],
  ['mezclar', 'to mix'],
  ['hornear', 'to bake'],
  ['la mesa', 'the table'],
  ['el fregadero', 'the sink'],
  ['la botella', 'the bottle'],
  ['pelar', 'to peel'],
] as const;

/**
 * The words the prompt says the learner knows already (src/core/content/prompts.ts): a model leaves them out, so
 * the fake does too, as long as it has other words.
 */
function knownWords(task: string): Set<string> {
  const list = /The learner knows these already; no cards for them: (?:<model_text>)?([^\n<]*)/.exec(task)?.[1] ?? '';
  return new Set(list.split('|').map((w) => w.trim().toLowerCase()).filter(Boolean));
  // (compared with and without a leading article below, whichever form the prompt lists)
}

/** Objects of the fill-in sentences, so that no two questions of a set are the same. */
const CUT_THINGS = ['las verduras', 'el pan', 'la cebolla', 'el queso', 'la carne', 'el pescado', 'las patatas', 'el tomate', 'la fruta', 'el pollo'];

/** Exercise explanations in the learner's base language (the interface languages), as a real model writes them. */
const EXPLANATIONS: Record<string, readonly [string, string]> = {
  en: ['It is a kitchen word.', 'First person singular of "cortar" is "corto".'],
  de: ['Das ist ein Wort aus der Küche.', 'Die erste Person Singular von „cortar“ ist „corto“.'],
  fr: ['C’est un mot de la cuisine.', 'La première personne du singulier de « cortar » est « corto ».'],
  pt: ['É uma palavra da cozinha.', 'A primeira pessoa do singular de "cortar" é "corto".'],
  ru: ['Это слово из кухни.', 'Первое лицо единственного числа от «cortar» — «corto».'],
  uk: ['Це слово з кухні.', 'Перша особа однини від «cortar» — «corto».'],
};

function baseLanguage(task: string): string {
  return /Base language: [^(\n]*\(([a-z]{2})\)/.exec(task)?.[1] ?? 'en';
}

function requested(task: string, what: string, fallback: number): number {
  const match = new RegExp(`Number of ${what}: exactly (\\d+)`).exec(task);
  return match ? Number(match[1]) : fallback;
}

export function tutorContent(req: FakeOpenAIRequest): unknown {
  const task = req.messages.map((m) => m.content).join('\n');
  switch (req.schemaName) {
    case 'flashcards': {
      const n = requested(task, 'cards', 8);
      const known = knownWords(task);
      const bare = (word: string) => word.toLowerCase().replace(/^(el|la|los|las) /, '');
      const fresh = WORDS.filter(([word]) => !known.has(word.toLowerCase()) && !known.has(bare(word)));
      const pool = fresh.length > 0 ? fresh : WORDS;
      // In the schema's order (a model writes the fields in that order): the cards first, the title last.
      return {
        cards: Array.from({ length: n }, (_, i) => {
          const [word, translation] = pool[i % pool.length]!;
          return { word, translation, example: `Necesito ${word} para cocinar.`, exampleTranslation: `I need ${translation} to cook.` };
        }),
        title: 'En la cocina',
      };
    }
    case 'exercises': {
      const n = requested(task, 'questions', 5);
      return {
        questions: Array.from({ length: n }, (_, i) => ({
          kind: i % 2 === 0 ? 'multiple_choice' : 'fill_in',
          prompt: i % 2 === 0 ? `¿Qué significa "${WORDS[i % WORDS.length]![0]}"?` : `Yo ___ ${CUT_THINGS[Math.floor(i / 2) % CUT_THINGS.length]!}.`,
          choices: i % 2 === 0 ? [WORDS[i % WORDS.length]![1], 'the table', 'the chair'] : ['corto', 'cortas', 'cortan'],
          answer: i % 2 === 0 ? WORDS[i % WORDS.length]![1] : 'corto',
          explanation: (EXPLANATIONS[baseLanguage(task)] ?? EXPLANATIONS.en!)[i % 2]!,
        })),
        title: 'Práctica de cocina',
      };
    }
    case 'scenario':
      return {
        title: 'En la panadería',
        setting: 'A small bakery in Madrid on a Saturday morning.',
        botRole: 'Panadero',
        learnerRole: 'Cliente',
        openingLine: '¡Buenos días! ¿Qué desea?',
        exampleDialogue: [
          { speaker: 'Cliente', text: 'Quiero una barra de pan, por favor.' },
          { speaker: 'Panadero', text: 'Aquí tiene. Son dos euros.' },
        ],
        keyPhrases: [{ phrase: '¿Cuánto cuesta?', translation: 'How much is it?' }],
      };
    case 'simulation_turn': {
      const from = /Last message, from <learner_name>(.*?)<\/learner_name>:|Last message, from ([^:]+):/.exec(task);
      const last = from?.[1] ?? from?.[2] ?? 'amigo';
      const correctionsOn = !task.includes('Corrections are switched off');
      return {
        reply: `Muy bien, ${last}. ¿Algo más?`,
        corrections: correctionsOn ? [{ original: 'quiero pan', corrected: 'quiero un pan', explanation: 'Use an article here.' }] : [],
        newWords: [{ word: 'la barra', translation: 'the loaf' }],
      };
    }
    case 'curriculum': {
      const n = requested(task, 'lessons', 5);
      return {
        title: 'Español para el restaurante',
        description: 'A short course for working in a restaurant.',
        lessons: Array.from({ length: n }, (_, i) => ({
          subTopic: `Lección ${i + 1}: ${['Saludar', 'El menú', 'La cuenta', 'Pedidos', 'Quejas'][i % 5]}`,
          description: 'Useful phrases for this situation.',
          keywords: ['el menú', 'la cuenta', 'la mesa'],
        })),
      };
    }
    default:
      return undefined;
  }
}
