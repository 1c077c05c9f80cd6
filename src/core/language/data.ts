// Hand-written data for language and level matching. Language *names* come from Intl.DisplayNames; this file only
// holds what ICU cannot give: the ISO 639-1 code list, aliases, and level vocabulary.

/** The 183 current ISO 639-1 codes ('bh' was withdrawn in 2021; 'iw', 'in', 'ji', 'jw', 'mo', 'sh' are legacy). */
export const ISO_639_1_CODES = [
  'aa', 'ab', 'ae', 'af', 'ak', 'am', 'an', 'ar', 'as', 'av', 'ay', 'az',
  'ba', 'be', 'bg', 'bi', 'bm', 'bn', 'bo', 'br', 'bs',
  'ca', 'ce', 'ch', 'co', 'cr', 'cs', 'cu', 'cv', 'cy',
  'da', 'de', 'dv', 'dz',
  'ee', 'el', 'en', 'eo', 'es', 'et', 'eu',
  'fa', 'ff', 'fi', 'fj', 'fo', 'fr', 'fy',
  'ga', 'gd', 'gl', 'gn', 'gu', 'gv',
  'ha', 'he', 'hi', 'ho', 'hr', 'ht', 'hu', 'hy', 'hz',
  'ia', 'id', 'ie', 'ig', 'ii', 'ik', 'io', 'is', 'it', 'iu',
  'ja', 'jv',
  'ka', 'kg', 'ki', 'kj', 'kk', 'kl', 'km', 'kn', 'ko', 'kr', 'ks', 'ku', 'kv', 'kw', 'ky',
  'la', 'lb', 'lg', 'li', 'ln', 'lo', 'lt', 'lu', 'lv',
  'mg', 'mh', 'mi', 'mk', 'ml', 'mn', 'mr', 'ms', 'mt', 'my',
  'na', 'nb', 'nd', 'ne', 'ng', 'nl', 'nn', 'no', 'nr', 'nv', 'ny',
  'oc', 'oj', 'om', 'or', 'os',
  'pa', 'pi', 'pl', 'ps', 'pt',
  'qu',
  'rm', 'rn', 'ro', 'ru', 'rw',
  'sa', 'sc', 'sd', 'se', 'sg', 'si', 'sk', 'sl', 'sm', 'sn', 'so', 'sq', 'sr', 'ss', 'st', 'su', 'sv', 'sw',
  'ta', 'te', 'tg', 'th', 'ti', 'tk', 'tl', 'tn', 'to', 'tr', 'ts', 'tt', 'tw', 'ty',
  'ug', 'uk', 'ur', 'uz',
  've', 'vi', 'vo',
  'wa', 'wo',
  'xh',
  'yi', 'yo',
  'za', 'zh', 'zu',
] as const;

/** UI languages whose names for every language are accepted as input (besides English and native names). */
export const NAME_LOCALES = ['es', 'de', 'fr', 'pt', 'ru', 'uk'] as const;

/** Regional/script tags whose ICU display names ('Brazilian Portuguese', 'español de México', '简体中文') are accepted. */
export const REGIONAL_TAGS = [
  'pt-BR', 'pt-PT', 'es-MX', 'es-ES', 'es-419', 'es-AR', 'en-US', 'en-GB', 'en-AU', 'en-CA', 'fr-CA', 'fr-CH',
  'fr-BE', 'de-AT', 'de-CH', 'zh-Hans', 'zh-Hant', 'nl-BE', 'ro-MD', 'fa-AF', 'sr-Latn', 'sr-Cyrl', 'ar-001',
] as const;

/** Display names ICU produces that are ordinary words rather than language names ('flamenco' is es for nl-BE). */
export const NOT_LANGUAGE_NAMES = new Set(['flamenco']);

/** Names ICU does not give, keyed by the target code. Matching folds case and diacritics, so list plain forms. */
export const LANGUAGE_ALIASES: Record<string, readonly string[]> = {
  es: ['castellano', 'castilian', 'spanish castilian', 'espanol latino', 'latino spanish'],
  zh: [
    'mandarin', 'mandarin chinese', 'standard chinese', 'putonghua', 'zhongwen', 'hanyu', 'guoyu', 'huayu',
    'mandarim', 'mandarín', 'мандаринский', '普通话', '普通話', '汉语', '漢語', '华语', '華語', '国语', '國語', '中国語', '中国话',
  ],
  fa: ['farsi', 'parsi', 'фарси', 'فارسی'],
  pt: ['brazilian', 'brazilian portuguese', 'portugues brasileiro', 'portugues do brasil', 'brasileiro', 'european portuguese'],
  en: ['american english', 'british english', 'ingles'],
  tl: ['tagalog', 'pilipino', 'wikang filipino'],
  bn: ['bengali'],
  nl: ['flemish', 'vlaams', 'hollands'],
  ro: ['moldovan', 'moldavian'],
  sl: ['slovene'],
  si: ['sinhalese'],
  km: ['cambodian'],
  lo: ['laotian'],
  my: ['myanmar', 'myanma'],
  he: ['ivrit', 'modern hebrew'],
  el: ['modern greek', 'ellinika'],
  ja: ['nihongo', 'nippongo'],
  ko: ['hangugeo', 'hangukeo', 'hanguk eo', 'gugeo', '조선말'],
  ne: ['nepalese'],
  ky: ['kirghiz', 'kirgiz'],
  ug: ['uighur', 'uigur'],
  tg: ['tajiki'],
  pa: ['panjabi', 'gurmukhi'],
  ps: ['pushto', 'pakhto'],
  or: ['oriya'],
  os: ['ossetian'],
  dv: ['dhivehi', 'maldivian'],
  fy: ['frisian', 'west frisian'],
  gd: ['scots gaelic'],
  ga: ['irish gaelic', 'gaelic irish'],
  cu: ['church slavonic', 'old church slavonic', 'old church slavic', 'old slavonic'],
  oj: ['ojibwe', 'ojibway', 'chippewa'],
  nv: ['navaho', 'dine bizaad'],
  ny: ['chichewa', 'chewa'],
  rn: ['kirundi'],
  lg: ['luganda'],
  ki: ['gikuyu'],
  kl: ['greenlandic'],
  ht: ['haitian', 'kreyol', 'kreyol ayisyen'],
  ca: ['valencian'],
  ku: ['kurmanji'],
  nb: ['bokmal'],
  nn: ['nynorsk'],
  tw: ['twi', 'asante twi'],
  ms: ['bahasa melayu', 'bahasa malaysia', 'malaysian'],
  id: ['bahasa indonesia'],
  sw: ['kiswahili'],
  xh: ['isixhosa'],
  zu: ['isizulu'],
  st: ['sesotho', 'sotho'],
  tn: ['setswana'],
  ss: ['siswati'],
  vi: ['tieng viet'],
  ar: ['arabi', 'standard arabic', 'modern standard arabic'],
  hi: ['hindustani'],
  sq: ['shqip'],
  eu: ['euskera', 'euskara'],
  cy: ['cymraeg'],
  gv: ['manx gaelic'],
  kw: ['kernewek'],
  li: ['limburgan', 'limburgian'],
  lb: ['letzeburgesch'],
  sa: ['samskrta'],
  bo: ['tibetic'],
};

/** Inputs that name no single ISO 639-1 language but have obvious candidates (returned as suggestions). */
export const AMBIGUOUS_NAMES: Record<string, readonly string[]> = {
  gaelic: ['gd', 'ga'],
  'serbo croatian': ['sr', 'hr', 'bs'],
  serbocroatian: ['sr', 'hr', 'bs'],
  bcs: ['sr', 'hr', 'bs'],
  bahasa: ['id', 'ms'],
  cantonese: ['zh'],
  yue: ['zh'],
  taiwanese: ['zh'],
  creole: ['ht'],
  sorani: ['ku'],
  ndebele: ['nd', 'nr'],
  sami: ['se'],
};

/** 3-letter tags that ICU canonicalises to something outside ISO 639-1 but that have an ISO 639-1 code. */
export const EXTRA_TAG_ALIASES: Record<string, string> = { fil: 'tl', bho: 'hi' };

/** Tie-breaker for suggestions: more widely learned languages first. */
export const POPULAR_CODES = [
  'en', 'es', 'fr', 'de', 'it', 'pt', 'ru', 'zh', 'ja', 'ko', 'ar', 'hi', 'tr', 'nl', 'pl', 'sv', 'uk', 'el', 'he',
  'id', 'vi', 'th', 'cs', 'ro', 'hu', 'da', 'fi', 'no', 'nb', 'fa', 'ms', 'bn', 'ur', 'sw', 'tl', 'ca', 'hr', 'sr',
  'bg', 'sk', 'sl', 'lt', 'lv', 'et', 'ga', 'cy', 'is', 'eo', 'la',
];

/**
 * English words that are also language names ('polish your shoes', 'a ewe'): in free text they count only when
 * capitalised or after a preposition/verb such as 'in' or 'learn'.
 */
export const HOMOGRAPH_NAMES = new Set(['polish', 'ewe', 'ido', 'lao', 'latin', 'venda', 'malay', 'ganda']);

// ---------------------------------------------------------------------------------------------------------------
// Levels

export type LevelWord = { readonly level: 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2'; readonly clear: boolean };

const clear = (level: LevelWord['level']): LevelWord => ({ level, clear: true });
const contextual = (level: LevelWord['level']): LevelWord => ({ level, clear: false });

/**
 * Level words by folded phrase. `clear` words count anywhere in a free-text query ('beginner', 'intermediate');
 * contextual ones ('advanced', 'native', 'basic') only next to a learner word, after 'for', or before a language name.
 */
export const LEVEL_WORDS: Record<string, LevelWord> = {
  // A1
  beginner: clear('A1'),
  beginners: clear('A1'),
  'absolute beginner': clear('A1'),
  'absolute beginners': clear('A1'),
  'complete beginner': clear('A1'),
  'complete beginners': clear('A1'),
  'total beginner': clear('A1'),
  'total beginners': clear('A1'),
  novice: clear('A1'),
  novices: clear('A1'),
  newbie: contextual('A1'),
  starter: contextual('A1'),
  basic: contextual('A1'),
  breakthrough: contextual('A1'),
  principiante: clear('A1'),
  principiantes: clear('A1'),
  principianti: clear('A1'),
  iniciante: clear('A1'),
  iniciantes: clear('A1'),
  debutant: clear('A1'),
  debutants: clear('A1'),
  debutante: clear('A1'),
  debutantes: clear('A1'),
  anfanger: clear('A1'),
  anfangerin: clear('A1'),
  einsteiger: clear('A1'),
  basico: contextual('A1'),
  inicial: contextual('A1'),
  начинающии: clear('A1'),
  начинающая: clear('A1'),
  начинающие: clear('A1'),
  начинающих: clear('A1'),
  новичок: clear('A1'),
  новички: clear('A1'),
  новичков: clear('A1'),
  початківець: clear('A1'),
  початківці: clear('A1'),
  початківців: clear('A1'),
  // A2
  elementary: contextual('A2'),
  'pre intermediate': clear('A2'),
  preintermediate: clear('A2'),
  'high beginner': clear('A2'),
  'high beginners': clear('A2'),
  'false beginner': clear('A2'),
  'false beginners': clear('A2'),
  'advanced beginner': clear('A2'),
  'advanced beginners': clear('A2'),
  waystage: contextual('A2'),
  elemental: contextual('A2'),
  elementaire: contextual('A2'),
  elementar: contextual('A2'),
  elementare: contextual('A2'),
  'faux debutant': clear('A2'),
  'faux debutants': clear('A2'),
  grundkenntnisse: contextual('A2'),
  'pre intermediario': clear('A2'),
  элементарныи: contextual('A2'),
  елементарнии: contextual('A2'),
  // B1
  intermediate: clear('B1'),
  'lower intermediate': clear('B1'),
  'low intermediate': clear('B1'),
  'mid intermediate': clear('B1'),
  threshold: contextual('B1'),
  conversational: contextual('B1'),
  intermedio: clear('B1'),
  intermedia: clear('B1'),
  intermediario: clear('B1'),
  intermediaria: clear('B1'),
  intermediaire: clear('B1'),
  intermediaires: clear('B1'),
  mittelstufe: clear('B1'),
  среднии: contextual('B1'),
  середніи: contextual('B1'),
  // B2
  'upper intermediate': clear('B2'),
  upperintermediate: clear('B2'),
  'high intermediate': clear('B2'),
  vantage: contextual('B2'),
  'intermedio alto': clear('B2'),
  'intermedio avanzado': clear('B2'),
  'intermedio superiore': clear('B2'),
  'intermedio avanzato': clear('B2'),
  'intermediario avancado': clear('B2'),
  'intermediario superior': clear('B2'),
  'intermediaire avance': clear('B2'),
  'intermediaire superieur': clear('B2'),
  'obere mittelstufe': clear('B2'),
  'выше среднего': clear('B2'),
  'вище середнього': clear('B2'),
  // C1
  advanced: contextual('C1'),
  avanzado: contextual('C1'),
  avanzada: contextual('C1'),
  avanzados: contextual('C1'),
  avanzato: contextual('C1'),
  avanzati: contextual('C1'),
  avancado: contextual('C1'),
  avancada: contextual('C1'),
  avancados: contextual('C1'),
  avance: contextual('C1'),
  avancee: contextual('C1'),
  avances: contextual('C1'),
  fortgeschritten: contextual('C1'),
  fortgeschrittene: contextual('C1'),
  fortgeschrittener: contextual('C1'),
  oberstufe: contextual('C1'),
  продвинутыи: contextual('C1'),
  продвинутая: contextual('C1'),
  продвинутые: contextual('C1'),
  продвинутых: contextual('C1'),
  просунутии: contextual('C1'),
  просунута: contextual('C1'),
  просунутих: contextual('C1'),
  // C2
  fluent: contextual('C2'),
  proficient: contextual('C2'),
  proficiency: contextual('C2'),
  native: contextual('C2'),
  'near native': contextual('C2'),
  'native like': contextual('C2'),
  'native speaker': contextual('C2'),
  mastery: contextual('C2'),
  expert: contextual('C2'),
  bilingual: contextual('C2'),
  fluido: contextual('C2'),
  fluida: contextual('C2'),
  fluente: contextual('C2'),
  nativo: contextual('C2'),
  nativa: contextual('C2'),
  bilingue: contextual('C2'),
  madrelingua: contextual('C2'),
  courant: contextual('C2'),
  natif: contextual('C2'),
  fliessend: contextual('C2'),
  muttersprachler: contextual('C2'),
  muttersprachlich: contextual('C2'),
  свободныи: contextual('C2'),
  свободно: contextual('C2'),
  вільно: contextual('C2'),
  вільнии: contextual('C2'),
};

/** Words around a level that carry no meaning for `resolveLevel` ('level B1', 'I am a beginner', 'niveau B2'). */
export const LEVEL_FILLER = new Set([
  'level', 'cefr', 'niveau', 'nivel', 'livello', 'stufe', 'уровень', 'рівень', 'i', 'im', 'am', 'a', 'an', 'the', 'my',
  'is', 'its', 'about', 'around', 'roughly', 'maybe', 'probably', 'pretty', 'quite', 'very', 'really', 'think', 'guess',
  'learner', 'student', 'user', 'speaker', 'please', 'so', 'soy', 'je', 'suis', 'ich', 'bin', 'sou', 'я', 'de', 'du',
]);

/** Negations make a level statement unreliable ('not a beginner'). */
export const NEGATIONS = new Set(['not', 'no', 'never', 'isnt', 'arent', 'aint', 'nicht', 'kein', 'keine', 'pas', 'нет', 'не']);

// ---------------------------------------------------------------------------------------------------------------
// Free-text detection vocabulary (folded words)

/** Words before a language name that make it a clear mention ('in Spanish', 'learn German', 'auf Deutsch'). */
export const PREFIX_TRIGGERS = new Set([
  'in', 'learn', 'learning', 'learned', 'learnt', 'study', 'studying', 'studied', 'practice', 'practise', 'practicing',
  'practising', 'speak', 'speaking', 'improve', 'improving', 'teach', 'teaching', 'revise', 'review',
  // es / fr / pt / it
  'en', 'em', 'aprender', 'estudiar', 'practicar', 'hablar', 'apprendre', 'etudier', 'pratiquer', 'parler', 'estudar',
  'praticar', 'falar', 'imparare', 'studiare', 'parlare',
  // de
  'auf', 'lernen',
  // ru / uk
  'на', 'по', 'учить', 'изучать', 'выучить', 'изучаю', 'учу', 'вивчати', 'вчити', 'вивчаю', 'вчу',
]);

/** Prefix words that only count when the query is about translating ('translate this into French'). */
export const TRANSLATION_PREFIXES = new Set(['into', 'to', 'al', 'vers']);
export const TRANSLATION_WORDS = new Set([
  'translate', 'translated', 'translating', 'translation', 'translations', 'switch', 'change', 'convert', 'traducir',
  'traduce', 'traduire', 'traduis', 'traduzir', 'tradurre', 'traduci', 'ubersetzen', 'ubersetze', 'перевести',
  'переведи', 'перекласти', 'переклади',
]);

/** Nouns that make a following 'of' a prefix trigger ('a learner of Italian', 'the basics of German'). */
export const OF_HEADS = new Set([
  'learner', 'learners', 'student', 'students', 'teacher', 'teachers', 'speaker', 'speakers', 'basics', 'fundamentals',
  'knowledge', 'grammar', 'vocabulary', 'lesson', 'lessons', 'course', 'study',
]);

/** Words that may sit between a prefix and the name ('in the Spanish language', 'improve my French'). */
export const PREFIX_SKIPPABLE = new Set(['the', 'my', 'me', 'some', 'more', 'el', 'le', 'l', 'il', 'lo', 'o', 'mein', 'mon', 'mi', 'meu']);

/** Nouns after a language name that make it a clear mention ('Spanish words', 'German grammar'). */
export const SUFFIX_TRIGGERS = new Set([
  'word', 'words', 'vocabulary', 'vocab', 'phrase', 'phrases', 'phrasebook', 'expression', 'expressions', 'idiom',
  'idioms', 'saying', 'sayings', 'proverbs', 'slang', 'verb', 'verbs', 'noun', 'nouns', 'adjective', 'adjectives',
  'adverbs', 'pronouns', 'prepositions', 'grammar', 'sentence', 'sentences', 'flashcard', 'flashcards', 'cards', 'lesson',
  'lessons', 'class', 'classes', 'course', 'courses', 'exercise', 'exercises', 'practice', 'drill', 'drills', 'quiz',
  'quizzes', 'test', 'exam', 'homework', 'conversation', 'conversations', 'dialogue', 'dialogues', 'dialog', 'roleplay',
  'learner', 'learners', 'tutor', 'teacher', 'translation', 'translations', 'translator',
  'language', 'pronunciation', 'spelling', 'alphabet', 'conjugation', 'conjugations', 'tense', 'tenses', 'greetings',
  'numbers', 'text', 'texts', 'reading', 'listening', 'writing', 'dictation', 'lernen', 'vokabeln',
  'worter', 'grammatik', 'kurs', 'ubungen', 'слова', 'язык', 'мова', 'слів', 'граматика', 'грамматика',
]);

/** Words that may follow a 'prefix + name' mention without turning the name into an adjective ('in Spanish for …'). */
export const MENTION_FOLLOWERS = new Set([
  'for', 'please', 'pls', 'plz', 'with', 'about', 'at', 'and', 'or', 'as', 'so', 'because', 'that', 'this', 'these',
  'to', 'from', 'by', 'on', 'level', 'using', 'only', 'too', 'now', 'then', 'instead', 'again', 'i', 'me', 'we', 'you',
  'if', 'but', 'when', 'while', 'like', 'without', 'including', 'thanks', 'thank', 'today', 'first', 'fast', 'quickly',
  'better', 'well', 'every', 'each', 'daily', 'is', 'are', 'was', 'will', 'would', 'can', 'could', 'should', 'do',
  'does', 'did', 'have', 'has', 'means', 'mean', 'called',
  'para', 'por', 'con', 'y', 'o', 'e', 'pour', 'avec', 'et', 'ou', 'fur', 'mit', 'und', 'oder', 'bitte', 'per', 'ed',
  'для', 'и', 'или', 'с', 'про', 'пожалуиста', 'языке', 'і', 'або', 'з', 'будь', 'ласка', 'мовою', 'мові',
]);

/** 'for' in the learner's likely UI languages, for 'for beginners' / 'para principiantes'. */
export const FOR_WORDS = new Set(['for', 'para', 'pour', 'fur', 'per', 'для']);
export const ARTICLES = new Set(['a', 'an', 'the', 'un', 'une', 'una', 'uno', 'um', 'uma', 'einen', 'eine', 'ein', 'les', 'los', 'las', 'os', 'as', 'die']);

/** Nouns after a level word that make it a clear level ('advanced learners', 'native speakers', 'B1 level'). */
export const LEVEL_NOUNS = new Set([
  'learner', 'learners', 'student', 'students', 'level', 'levels', 'speaker', 'speakers', 'class', 'classes', 'course',
  'courses', 'lesson', 'lessons', 'user', 'users', 'stage', 'nivel', 'niveau', 'livello', 'niveis', 'stufe', 'уровень',
  'уровня', 'рівень', 'рівня', 'estudiantes', 'alumnos', 'etudiants', 'apprenants', 'lernende', 'alunos',
]);

/** Words before an 'A1'…'C2' token that mean it is not a CEFR level ('vitamin B2'). */
export const NOT_LEVEL_BEFORE = new Set(['vitamin', 'vitamins', 'vitamina', 'vitamine', 'витамин', 'вітамін', 'route', 'highway', 'row', 'seat', 'cell', 'room']);
