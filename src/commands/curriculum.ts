import { LESSON_PARTS, MAX_LESSONS } from '../core/services/curricula.ts';
import type { Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';
import { languageOptions, topicOption, topicRequest } from './options.ts';
import { scopeOf } from './scope.ts';
import { curriculumView, exerciseIntroView, flashcardsView, scenarioView, shortfallNote } from './views.ts';

export const curriculumCommand = defineCommand({
  name: 'curriculum',
  description: 'Plan a course of lessons on a topic (or list yours)',
  slow: true,
  options: [
    { ...topicOption, required: false, description: 'Course topic; leave empty to list your courses' },
    ...languageOptions,
    { name: 'lessons', description: `Number of lessons (1–${MAX_LESSONS})`, type: 'integer', min: 1, max: MAX_LESSONS },
    { name: 'course', description: 'Show one of your courses (1 = newest)', type: 'integer', min: 1, max: 1000 },
  ],
  async run(ctx, args): Promise<Reply[]> {
    const { t } = ctx;
    const scope = scopeOf(ctx);
    if (!args.topic) {
      const list = await ctx.services.curricula.list(scope);
      if (list.length === 0) return [{ blocks: [{ kind: 'text', text: t('curriculum.empty') }] }];
      if (args.course !== undefined) {
        const { curriculum } = await ctx.services.curricula.findLesson(scope, 1, args.course);
        return [curriculumView(t, curriculum)];
      }
      const lines = list.map((c, i) =>
        t('curriculum.listItem', { number: i + 1, title: c.title, done: c.lessons.filter((l) => l.status === 'completed').length, total: c.lessons.length }),
      );
      return [{ blocks: [{ kind: 'text', text: `${t('curriculum.listTitle')}\n${lines.join('\n')}\n\n${t('curriculum.howTo')}` }] }];
    }
    const { curriculum, generationId, shortfall } = await ctx.services.curricula.create(scope, { ...topicRequest({ ...args, topic: args.topic }), lessons: args.lessons ?? 5 });
    return [curriculumView(t, curriculum, generationId), ...shortfallNote(t, 'curriculum', shortfall)];
  },
});

export const lessonCommand = defineCommand({
  name: 'lesson',
  description: 'Study a lesson of your course',
  slow: true,
  options: [
    { name: 'number', description: 'Lesson number', type: 'integer', rest: true, required: true, min: 1, max: MAX_LESSONS },
    {
      name: 'part',
      description: 'flashcards, exercises, simulation or done',
      type: 'string',
      rest: true,
      choices: LESSON_PARTS.map((p) => ({ name: p, value: p })),
    },
    { name: 'course', description: 'Which course (1 = newest)', type: 'integer', min: 1, max: 1000 },
  ],
  async run(ctx, args): Promise<Reply[]> {
    const { t } = ctx;
    const scope = scopeOf(ctx);
    const part = (args.part ?? 'flashcards') as (typeof LESSON_PARTS)[number];
    if (part === 'done') {
      const r = await ctx.services.curricula.markDone(scope, args.number, args.course ?? 1);
      const text = t('curriculum.lessonDone', { number: args.number, done: r.done, total: r.total });
      return [{ blocks: [{ kind: 'text', text: r.status === 'completed' ? `${text}\n${t('curriculum.courseDone')}` : text }] }];
    }
    const { result } = await ctx.services.curricula.lessonPart(scope, args.number, part, args.course ?? 1);
    switch (result.kind) {
      case 'flashcards':
        return [flashcardsView(t, result.generationId, result.content), ...shortfallNote(t, 'flashcards', result.shortfall)];
      case 'exercises':
        return [...exerciseIntroView(t, result.generationId, result.content, ctx.learner.id), ...shortfallNote(t, 'exercises', result.shortfall)];
      case 'simulation':
        return [scenarioView(t, result.session, result.generationId, ctx.services.voice.canSpeak ? result.openingSeq : undefined)];
    }
  },
});
