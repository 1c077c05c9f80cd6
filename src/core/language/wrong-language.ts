// A cheap check that a short text (a role-play line) is not clearly in the wrong language: the model answering
// in the learner's base language instead of the target language. No dependency: the script for languages not
// written in Latin letters, and function words ("stop words") for common Latin-script languages. It flags only
// clear cases — a few words, names, loanwords or a mixed line never trigger it — and says nothing (undefined)
// about languages it does not know.

/** Frequent function words; only words absent from the other language's list count (see clearlyWrongLanguage). */
const STOP_WORDS: Record<string, ReadonlySet<string>> = {
  en: words('the a an and or but is are was were be been have has had do does did will would can could should shall may might must i you he she it we they me him her us them my your his its our their this that these those what which who whom where when why how here there not no yes to of in on at for with from by about as if so than then too very just also only all any some there\'s it\'s i\'m you\'re don\'t can\'t like today please thank thanks would want'),
  es: words('a el la los las un una unos unas y o pero es son era eran ser estar está están estoy estás he ha han hay yo tú él ella nosotros vosotros ellos ellas me te se nos le les lo mi mis tu tus su sus nuestro este esta estos estas ese esa eso qué que cuál quién dónde cuándo cómo por para con sin de del al en sobre muy también sí no pero porque gracias hola bien usted ustedes quiere quieres desea algo más aquí'),
  fr: words('a on le la les un une des et ou mais est sont était être avoir ai as a avons avez ont je tu il elle nous vous ils elles me te se moi toi lui leur mon ma mes ton ta tes son sa ses notre votre ce cette ces quoi que qui où quand comment pourquoi pour avec sans de du au aux dans sur très aussi oui non parce merci bonjour bien voulez veux voici ici'),
  de: words('in an am also so will der die das den dem des ein eine einen einem einer und oder aber ist sind war waren sein haben habe hat hast ich du er sie es wir ihr mich dich sich uns euch mein meine dein deine sein seine unser euer dieser diese dieses was welche wer wo wann wie warum für mit ohne von zu im am auf über sehr auch ja nein nicht weil danke hallo gut möchten möchte bitte hier'),
  it: words('a i in il lo la gli le un uno una e o ma è sono era essere avere ho hai ha abbiamo avete hanno io tu lui lei noi voi loro mi ti si ci vi mio mia miei tuo tua suo sua nostro questo questa questi quello quella che chi dove quando come perché per con senza di del della al alla nel nella su molto anche sì no grazie ciao bene vuole desidera qualcosa ecco qui'),
  pt: words('o a os as um uma uns umas e ou mas é são era ser estar está estão estou tenho tem temos eu tu ele ela nós vós eles elas me te se nos lhe meu minha teu tua seu sua nosso este esta estes isto esse essa isso que qual quem onde quando como porque por para com sem de do da dos das no na em sobre muito também sim não obrigado obrigada olá bem você vocês quer deseja algo mais aqui'),
  nl: words('de het een en of maar is zijn was waren hebben heb heeft ik jij je hij zij ze wij we jullie mij me hem haar ons mijn jouw zijn onze deze dit die dat wat welke wie waar wanneer hoe waarom voor met zonder van te in op over heel ook ja nee niet omdat dank hallo goed wilt wil graag hier'),
};

/** Languages not written in Latin letters, by the script their text must contain. */
const SCRIPTS: Record<string, RegExp> = {
  ru: /\p{Script=Cyrillic}/u,
  uk: /\p{Script=Cyrillic}/u,
  bg: /\p{Script=Cyrillic}/u,
  be: /\p{Script=Cyrillic}/u,
  mk: /\p{Script=Cyrillic}/u,
  kk: /\p{Script=Cyrillic}/u,
  el: /\p{Script=Greek}/u,
  ar: /\p{Script=Arabic}/u,
  fa: /\p{Script=Arabic}/u,
  ur: /\p{Script=Arabic}/u,
  he: /\p{Script=Hebrew}/u,
  yi: /\p{Script=Hebrew}/u,
  hi: /\p{Script=Devanagari}/u,
  mr: /\p{Script=Devanagari}/u,
  ne: /\p{Script=Devanagari}/u,
  bn: /\p{Script=Bengali}/u,
  th: /\p{Script=Thai}/u,
  ka: /\p{Script=Georgian}/u,
  hy: /\p{Script=Armenian}/u,
  zh: /\p{Script=Han}/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u,
  ko: /\p{Script=Hangul}/u,
};

/** Fewer words than this: too short to judge. */
const MIN_WORDS = 6;
/** Letters needed before a missing script counts. */
const MIN_LETTERS = 15;

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(' '));
}

/**
 * A problem description (for the model's one repair attempt) when `text` is clearly in `baseLanguage` (or at
 * least clearly not in the script of `targetLanguage`) instead of `targetLanguage`; otherwise undefined.
 */
export function clearlyWrongLanguage(text: string, targetLanguage: string, baseLanguage: string): string | undefined {
  if (targetLanguage === baseLanguage) return undefined;
  const problem = `the reply must be in the target language (${targetLanguage}), not in ${baseLanguage}: stay in character and write the reply in ${targetLanguage}`;
  const letters = text.match(/\p{L}/gu) ?? [];
  const script = SCRIPTS[targetLanguage];
  if (script) {
    // Not one letter of the target's script in a sentence-long reply: clearly another language.
    if (letters.length < MIN_LETTERS || letters.some((letter) => script.test(letter))) return undefined;
    return SCRIPTS[baseLanguage] === script ? undefined : problem;
  }
  const target = STOP_WORDS[targetLanguage];
  const base = STOP_WORDS[baseLanguage];
  if (!target || !base) return undefined;
  const tokens = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  if (tokens.length < MIN_WORDS) return undefined;
  let targetHits = 0;
  let baseHits = 0;
  for (const token of tokens) {
    const inTarget = target.has(token);
    const inBase = base.has(token);
    if (inTarget && !inBase) targetHits += 1;
    if (inBase && !inTarget) baseHits += 1;
  }
  // Clear: a good share of the words are the base language's own function words, and almost none the target's.
  const clear = baseHits >= 3 && baseHits >= tokens.length * 0.25 && baseHits >= 4 * targetHits;
  return clear ? problem : undefined;
}
