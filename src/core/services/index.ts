import type { BufferedActivityLog } from '../activity-log.ts';
import type { CurriculumService } from './curricula.ts';
import type { ExerciseService } from './exercises.ts';
import type { FeedbackService } from './feedback.ts';
import type { GenerationService } from './generation.ts';
import type { LearnerService } from './learners.ts';
import type { SavedItemService } from './saved-items.ts';
import type { SimulationService } from './simulations.ts';
import type { ReviewService } from './reviews.ts';
import type { StatsService } from './stats.ts';
import type { ExportService } from './export.ts';
import type { PrivacyService } from './privacy.ts';
import type { ReminderService } from './reminders.ts';
import type { LinkingService } from './linking.ts';
import type { VoiceService } from './voice.ts';
import type { PlatformMessageRepository } from '../repositories/platform-message-repository.ts';

/** Everything commands may use. Built once by the composition root (src/app.ts). */
export interface Services {
  learners: LearnerService;
  generation: GenerationService;
  savedItems: SavedItemService;
  feedback: FeedbackService;
  exercises: ExerciseService;
  simulations: SimulationService;
  curricula: CurriculumService;
  reviews: ReviewService;
  stats: StatsService;
  /** /export and /import of saved items. */
  dataExport: ExportService;
  privacy: PrivacyService;
  reminders: ReminderService;
  linking: LinkingService;
  messages: PlatformMessageRepository;
  activityLog: BufferedActivityLog;
  /** Speech out (/pronounce, 🔊, voice mode) and in (voice messages). */
  voice: VoiceService;
}
