// Every command, in the order help lists them.
import type { AnyCommand } from './define.ts';
import { curriculumCommand, lessonCommand } from './curriculum.ts';
import { exercisesCommand } from './exercises.ts';
import { flashcardsCommand } from './flashcards.ts';
import { feedbackCommand, rateCommand } from './rate.ts';
import { deleteCommand, saveCommand, savedCommand } from './saved.ts';
import { settingsCommand } from './settings.ts';
import { endCommand, simulateCommand } from './simulate.ts';
import { helpCommand, startCommand } from './start.ts';
import { reviewCommand } from './review.ts';
import { statsCommand } from './stats.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { mydataCommand } from './mydata.ts';
import { forgetCommand } from './forget.ts';
import { remindCommand } from './remind.ts';
import { linkCommand } from './link.ts';
import { pronounceCommand } from './pronounce.ts';
import { voiceCommand } from './voice.ts';

export const COMMANDS: readonly AnyCommand[] = [
  startCommand,
  helpCommand,
  settingsCommand,
  flashcardsCommand,
  exercisesCommand,
  simulateCommand,
  endCommand,
  pronounceCommand,
  voiceCommand,
  saveCommand,
  savedCommand,
  deleteCommand,
  rateCommand,
  feedbackCommand,
  curriculumCommand,
  lessonCommand,
  reviewCommand,
  statsCommand,
  exportCommand,
  importCommand,
  mydataCommand,
  forgetCommand,
  remindCommand,
  linkCommand,
];
