// The pacing that the Telegram and Discord progress views share (an answer shown while the model writes it):
// only the newest view counts and it is rendered only once it may be sent (most views of a fast answer never
// are); nothing is sent before a grace period, then one send at a time, none queued, at most one per interval;
// a view that renders as what is on screen is not sent again; the learner's translator is asked for once, when
// the first view may be shown. What a view becomes and how it is sent is the platform's (the `render` and
// `send` of the options); so is what a failed send means (`onSendError`, which may stop the pump, put the next
// send off, or ask for the last view to be sent again).
import type { Translator } from '../core/i18n/index.ts';
import type { Reply } from '../core/types.ts';

export interface ProgressPumpOptions<Rendered> {
  /** No send before this many ms from the start: an answer ready by then comes as the final reply alone. */
  graceMs: number;
  /** The gap after each send (or failed send) before the next one; asked after each send. */
  intervalMs(): number;
  translator(): Promise<Translator>;
  /** The translator could not be had: the pump has stopped. */
  onNoTranslator(err: unknown): void;
  /** What a view shows; undefined when it shows nothing. */
  render(view: Reply, t: Translator): Rendered | undefined;
  /** Whether two renderings show the same (the second is then not sent). */
  same(a: Rendered, b: Rendered): boolean;
  send(rendered: Rendered): Promise<void>;
  /** A send failed; the pump goes on (after the interval) unless this calls `stop()`. */
  onSendError(err: unknown, pump: ProgressPumpControl): void;
}

/** What `onSendError` may do. */
export interface ProgressPumpControl {
  /** No more sends. */
  stop(): void;
  /** No send before this time (ms since the epoch), e.g. a platform's retry-after. */
  notBefore(at: number): void;
  /** Counts the failed rendering as on screen (the platform said it already is). */
  markShown(): void;
  /** Nothing is on screen any more: the newest rendering goes again. */
  forgetShown(): void;
}

export interface ProgressPump {
  show(view: Reply): void;
  /**
   * Stops, and waits for the send in flight; when something was sent and `keepInterval` says so, also until the
   * interval after the last send has passed, so that the final reply's edit of the same message keeps to it too.
   * Idempotent.
   */
  finish(keepInterval: () => boolean): Promise<void>;
}

export function startProgressPump<Rendered>(o: ProgressPumpOptions<Rendered>): ProgressPump {
  let pending: Reply | undefined;
  let latest: Rendered | undefined;
  let shown: Rendered | undefined;
  let notBefore = Date.now() + o.graceMs;
  let inFlight: Promise<void> | undefined;
  let sends = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let t: Translator | undefined;
  let loading: Promise<void> | undefined;

  const isShown = () => latest === undefined || (shown !== undefined && o.same(latest, shown));
  const control: ProgressPumpControl = {
    stop: () => {
      stopped = true;
    },
    notBefore: (at) => {
      notBefore = Math.max(notBefore, at);
    },
    markShown: () => {
      shown = latest;
    },
    forgetShown: () => {
      shown = undefined;
    },
  };

  const pump = (): void => {
    if (stopped || inFlight || (!pending && isShown())) return;
    const wait = notBefore - Date.now();
    if (wait > 0) {
      timer ??= setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
      return;
    }
    if (pending && !t) {
      loading ??= o.translator().then(
        (loaded) => {
          t = loaded;
          pump();
        },
        (err: unknown) => {
          stopped = true;
          o.onNoTranslator(err);
        },
      );
      return;
    }
    if (pending) {
      const rendered = o.render(pending, t!);
      pending = undefined;
      if (rendered !== undefined) latest = rendered;
    }
    if (isShown()) return;
    const sending = latest!;
    sends += 1;
    inFlight = o
      .send(sending)
      .then(() => {
        shown = sending;
      })
      .catch((err: unknown) => o.onSendError(err, control))
      .finally(() => {
        notBefore = Math.max(notBefore, Date.now() + o.intervalMs());
        inFlight = undefined;
        pump();
      });
  };

  let finishing: Promise<void> | undefined;
  return {
    show(view) {
      if (stopped) return;
      pending = view;
      pump();
    },
    finish(keepInterval) {
      finishing ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await inFlight;
        const wait = notBefore - Date.now();
        if (sends > 0 && wait > 0 && keepInterval()) await new Promise((resolve) => setTimeout(resolve, wait));
      })();
      return finishing;
    },
  };
}
