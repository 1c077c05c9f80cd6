// Turns generated content into platform-neutral Replies. Adapters decide how cards and buttons look.
import { encodeAction } from '../core/actions.ts';
import type { ExerciseSet, FlashcardSet, Scenario, SimulationTurnReply, CurriculumPlan } from '../core/content/schemas.ts';
import type { Preview } from '../core/content/previews.ts';
import type { Translator } from '../core/i18n/index.ts';
import { languageName } from '../core/language.ts';
import type { SessionInfo, SimulationSummaryEntry } from '../core/services/simulations.ts';
import type { Block, Button, Reply } from '../core/types.ts';
import { cutText } from '../core/safe-text.ts';

/** "Only 6 of the 8 cards you asked for could be made." after a set that came out short, else nothing. */
export function shortfallNote(t: Translator, what: 'flashcards' | 'exercises' | 'curriculum', shortfall: { asked: number; came: number } | undefined): Reply[] {
  return shortfall ? [{ blocks: [{ kind: 'text', text: t(`${what}.fewer`, shortfall) }] }] : [];
}

export function saveButton(t: Translator, generationId: number): Button {
  return { label: t('saved.saveButton'), data: encodeAction({ kind: 'save', generationId }), style: 'secondary' };
}

export function flashcardsView(t: Translator, generationId: number, set: FlashcardSet, revealed = false, listen = false): Reply {
  return {
    blocks: [
      {
        kind: 'card',
        title: set.title,
        fields: set.cards.map((card) => ({
          label: card.word,
          value: card.exampleTranslation
            ? `${card.translation}\n${card.example} (${card.exampleTranslation})`
            : `${card.translation}\n${card.example}`,
          hidden: !revealed,
        })),
        footer: t('flashcards.hint'),
      },
    ],
    buttons: [
      [
        ...(revealed ? [] : [{ label: t('flashcards.showAnswers'), data: encodeAction({ kind: 'reveal', generationId, card: 0 }) }]),
        saveButton(t, generationId),
      ],
      ...(revealed && listen ? listenRows(set, generationId) : []),
    ],
    rateGenerationId: generationId,
    replaceOrigin: revealed,
  };
}

/**
 * One 🔊 per card in the revealed view, not one "Listen" for the whole set: a learner wants the word they are
 * looking at, a clip per word is short (little of the daily audio allowance) and cached by its text, so the same
 * word in another set or a review costs nothing; a whole-set clip would be long and new for every set.
 * 20 cards at most (/flashcards count) fit in 4 rows of 5 under the save row.
 */
function listenRows(set: FlashcardSet, generationId: number): Button[][] {
  const rows: Button[][] = [];
  set.cards.slice(0, 20).forEach((card, i) => {
    const button: Button = { label: `🔊 ${cutText(card.word, 24)}`, data: encodeAction({ kind: 'listen', generationId, card: i }), style: 'secondary' };
    if (i % 5 === 0) rows.push([button]);
    else rows[rows.length - 1]!.push(button);
  });
  return rows;
}

/** The 🔊 button under a tutor's role-play line. */
export function hearButton(t: Translator, sessionId: number, seq: number): Button {
  return { label: t('voice.listen'), data: encodeAction({ kind: 'hear', sessionId, seq }), style: 'secondary' };
}

export function exerciseIntroView(t: Translator, generationId: number, set: ExerciseSet, owner: number): Reply[] {
  return [
    {
      blocks: [{ kind: 'text', text: t('exercises.intro', { title: set.title, count: set.questions.length }) }],
      buttons: [[saveButton(t, generationId)]],
      rateGenerationId: generationId,
    },
    questionView(t, generationId, set, 0, owner),
  ];
}

export function questionView(t: Translator, generationId: number, set: ExerciseSet, index: number, owner: number): Reply {
  const q = set.questions[index]!;
  const buttons: Button[][] = [];
  q.choices.forEach((choice, i) => {
    const button = { label: choice, data: encodeAction({ kind: 'answer', generationId, question: index, choice: i, owner }) };
    // Two choices per row keeps long choices readable on phones.
    if (i % 2 === 0) buttons.push([button]);
    else buttons[buttons.length - 1]!.push(button);
  });
  return {
    blocks: [
      {
        kind: 'card',
        title: t('exercises.question', { number: index + 1, total: set.questions.length }),
        description: q.prompt,
        fields: [],
        footer: q.kind === 'fill_in' ? t('exercises.fillIn') : t('exercises.multipleChoice'),
      },
    ],
    buttons,
  };
}

export function answerView(
  t: Translator,
  outcome: { set: ExerciseSet; question: number; correct: boolean; chosen: string; next?: number; score?: { correct: number; total: number } },
  generationId: number,
  owner: number,
): Reply[] {
  const q = outcome.set.questions[outcome.question]!;
  const verdict = outcome.correct
    ? t('exercises.correct', { answer: q.answer })
    : t('exercises.wrong', { chosen: outcome.chosen, answer: q.answer });
  const replies: Reply[] = [{ blocks: [{ kind: 'text', text: `${outcome.correct ? '✅' : '❌'} ${verdict}\n\n${q.explanation}` }] }];
  if (!outcome.correct) {
    // A mistake can become a review card.
    replies[0]!.buttons = [[{ label: t('review.addToDeck'), data: encodeAction({ kind: 'card', generationId, question: outcome.question }) }]];
  }
  if (outcome.next !== undefined) replies.push(questionView(t, generationId, outcome.set, outcome.next, owner));
  if (outcome.score) replies.push({ blocks: [{ kind: 'text', text: t('exercises.score', outcome.score) }] });
  return replies;
}

/** `openingSeq`: the opening line's turn number, for its 🔊 button (absent: no voice on this bot). */
export function scenarioView(t: Translator, session: SessionInfo, generationId: number, openingSeq?: number): Reply {
  const s: Scenario = session.scenario;
  const fields = [
    { label: t('simulation.setting'), value: s.setting },
    { label: t('simulation.roles'), value: t('simulation.rolesValue', { bot: s.botRole, learner: s.learnerRole }) },
  ];
  if (s.exampleDialogue.length > 0) {
    fields.push({ label: t('simulation.example'), value: s.exampleDialogue.map((l) => `${l.speaker}: ${l.text}`).join('\n') });
  }
  if (s.keyPhrases.length > 0) {
    fields.push({ label: t('simulation.keyPhrases'), value: s.keyPhrases.map((p) => `${p.phrase} — ${p.translation}`).join('\n') });
  }
  return {
    blocks: [
      {
        kind: 'card',
        title: t('simulation.started', { title: s.title }),
        fields,
        footer: t('simulation.howTo', { language: languageName(session.targetLanguage, session.baseLanguage) }),
      },
      { kind: 'text', text: `${s.botRole}: ${s.openingLine}` },
    ],
    buttons: [
      [
        { label: t('simulation.endButton'), data: encodeAction({ kind: 'end', sessionId: session.id }), style: 'danger' },
        saveButton(t, generationId),
        ...(openingSeq !== undefined ? [hearButton(t, session.id, openingSeq)] : []),
      ],
    ],
    rateGenerationId: generationId,
    simulationSessionId: session.id,
    openThread: { name: cutText(t('simulation.threadName', { title: s.title }), 100), simulationSessionId: session.id },
  };
}

/** `tutorSeq`: the tutor line's turn number, for its 🔊 button (absent: no voice on this bot). */
export function turnView(t: Translator, session: SessionInfo, reply: SimulationTurnReply, tutorSeq?: number): Reply {
  const blocks: Block[] = [{ kind: 'text', text: `${session.scenario.botRole}: ${reply.reply}` }];
  if (reply.corrections.length > 0) {
    blocks.push({
      kind: 'text',
      text: `${t('simulation.corrections')}:\n${reply.corrections.map((c) => `• ${c.original} → ${c.corrected} (${c.explanation})`).join('\n')}`,
    });
  }
  if (reply.newWords.length > 0) {
    blocks.push({ kind: 'text', text: `${t('simulation.newWords')}: ${reply.newWords.map((w) => `${w.word} (${w.translation})`).join(', ')}` });
  }
  return { blocks, simulationSessionId: session.id, ...(tutorSeq !== undefined ? { buttons: [[hearButton(t, session.id, tutorSeq)]] } : {}) };
}

export function summaryView(t: Translator, session: SessionInfo, summary: SimulationSummaryEntry[]): Reply {
  const active = summary.filter((s) => s.turns > 0);
  const fields = active.map((s) => ({
    label: t('simulation.summaryLearner', { name: s.name, turns: s.turns }),
    value: [
      `${t('simulation.corrections')}: ${
        s.corrections.length > 0 ? s.corrections.map((c) => `${c.original} → ${c.corrected}`).join('; ') : t('simulation.noCorrections')
      }`,
      `${t('simulation.newWords')}: ${
        s.newWords.length > 0 ? s.newWords.map((w) => `${w.word} (${w.translation})`).join(', ') : t('simulation.noNewWords')
      }`,
    ].join('\n'),
  }));
  return {
    blocks: [
      {
        kind: 'card',
        title: t('simulation.summaryTitle', { title: session.scenario.title }),
        ...(active.length === 0 ? { description: t('simulation.noTurns') } : {}),
        fields,
      },
    ],
    closeThread: true,
  };
}

export function curriculumView(
  t: Translator,
  curriculum: { title: string; description: string; lessons: Array<{ position: number; subTopic: string; description: string; keywords: unknown; status: string }> },
  generationId?: number,
): Reply {
  return {
    blocks: [
      {
        kind: 'card',
        title: t('curriculum.title', { title: curriculum.title }),
        description: curriculum.description,
        fields: curriculum.lessons.map((l) => ({
          label: t('curriculum.lesson', { number: l.position, subTopic: l.subTopic }),
          value: `${l.description}\n${Array.isArray(l.keywords) ? (l.keywords as string[]).join(', ') : ''} · ${statusLabel(t, l.status)}`,
        })),
        footer: t('curriculum.howTo'),
      },
    ],
    ...(generationId ? { rateGenerationId: generationId, buttons: [[saveButton(t, generationId)]] } : {}),
  };
}

function statusLabel(t: Translator, status: string): string {
  return status === 'completed' || status === 'in_progress' || status === 'not_started' ? t(`curriculum.status.${status}`) : status;
}

/** A saved item's content, rendered by its type (read-only: no buttons). */
export function savedContentView(t: Translator, item: { number: number; contentType: string; contentData: unknown; userLabel: string | null; originalQuery: string; userNotes: string | null }): Reply {
  const header: Block = {
    kind: 'text',
    text: `#${item.number} ${item.userLabel ?? ''}\n${t('saved.query')}: ${item.originalQuery}${item.userNotes ? `\n${t('saved.notes')}: ${item.userNotes}` : ''}`,
  };
  const data = item.contentData as Record<string, unknown>;
  let body: Reply;
  switch (item.contentType) {
    case 'flashcards': {
      // Already saved: no "rate or save it" footer under it.
      const view = flashcardsView(t, 1, data as unknown as FlashcardSet, true);
      body = { blocks: view.blocks.map((b) => (b.kind === 'card' ? { ...b, footer: undefined } : b)) };
      break;
    }
    case 'exercises': {
      const set = data as unknown as ExerciseSet;
      body = {
        blocks: [
          {
            kind: 'card',
            title: set.title,
            fields: set.questions.map((q, i) => ({ label: `${i + 1}. ${q.prompt}`, value: `${q.answer}\n${q.explanation}`, hidden: true })),
          },
        ],
      };
      break;
    }
    case 'simulation': {
      const s = data as unknown as Scenario;
      body = {
        blocks: [
          {
            kind: 'card',
            title: s.title,
            description: s.setting,
            fields: [
              ...(s.exampleDialogue.length ? [{ label: t('simulation.example'), value: s.exampleDialogue.map((l) => `${l.speaker}: ${l.text}`).join('\n') }] : []),
              ...(s.keyPhrases.length ? [{ label: t('simulation.keyPhrases'), value: s.keyPhrases.map((p) => `${p.phrase} — ${p.translation}`).join('\n') }] : []),
            ],
          },
        ],
      };
      break;
    }
    case 'curriculum': {
      const plan = data as unknown as CurriculumPlan;
      body = curriculumView(t, {
        title: plan.title,
        description: plan.description,
        lessons: plan.lessons.map((l, i) => ({ position: i + 1, subTopic: l.subTopic, description: l.description, keywords: l.keywords, status: 'not_started' })),
      });
      break;
    }
    default:
      body = { blocks: [{ kind: 'text', text: cutText(JSON.stringify(data), 1500) }] };
  }
  return { blocks: [header, ...body.blocks] };
}

/**
 * What is shown while the model still writes (no buttons: they come with the final message, which replaces
 * this). Each view of one request starts with the text of the one before, so a terminal can print only what
 * is new.
 */
export function previewView(_t: Translator, preview: Preview): Reply {
  switch (preview.kind) {
    case 'flashcards':
      return {
        blocks: [
          {
            kind: 'card',
            title: preview.title || '…',
            fields: preview.cards.map((card) => ({ label: card.word, value: card.translation, hidden: true })),
          },
        ],
      };
    case 'exercises':
      return {
        blocks: [{ kind: 'text', text: [preview.title, ...preview.questions.map((q, i) => `${i + 1}. ${q.prompt}`)].filter(Boolean).join('\n') }],
      };
    case 'turn':
      return { blocks: [{ kind: 'text', text: `${preview.speaker}: ${preview.reply}` }] };
  }
}
