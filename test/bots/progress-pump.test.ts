// The pacing both platforms' progress views share (src/bots/progress-pump.ts), on the clock alone: what is
// sent, when, and what a failed send leads to. The platforms' own tests (test/telegram/streaming-progress.test.ts,
// test/discord/streaming-progress.test.ts) take the same pump through their fakes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProgressPump, type ProgressPumpControl } from '../../src/bots/progress-pump.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import type { Reply } from '../../src/core/types.ts';

const GRACE = 1000;
const INTERVAL = 500;
const view = (text: string): Reply => ({ blocks: [{ kind: 'text', text }] });

/** A pump whose sends are recorded with their time; `fail` decides which sends fail and how. */
function pumpWith(fail: (text: string, n: number) => unknown = () => undefined, onSendError: (err: unknown, c: ProgressPumpControl) => void = (_, c) => c.stop()) {
  const sent: Array<{ text: string; at: number }> = [];
  let translatorCalls = 0;
  const start = Date.now();
  const pump = startProgressPump<string>({
    graceMs: GRACE,
    intervalMs: () => INTERVAL,
    translator: async () => {
      translatorCalls += 1;
      return createI18n().translator('en');
    },
    onNoTranslator: () => undefined,
    render: (reply) => (reply.blocks[0]?.kind === 'text' && reply.blocks[0].text ? reply.blocks[0].text : undefined),
    same: (a, b) => a === b,
    async send(text) {
      sent.push({ text, at: Date.now() - start });
      const error = fail(text, sent.length);
      if (error) throw error;
    },
    onSendError,
  });
  return { pump, sent, translatorCalls: () => translatorCalls };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the progress pump', () => {
  it('sends nothing within the grace period, then only the newest view, at most once per interval', async () => {
    const { pump, sent, translatorCalls } = pumpWith();
    pump.show(view('a'));
    pump.show(view('ab'));
    await vi.advanceTimersByTimeAsync(GRACE - 1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ text: 'ab', at: GRACE }]);
    pump.show(view('abc'));
    pump.show(view('abcd'));
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(sent.map((s) => s.text)).toEqual(['ab', 'abcd']);
    expect(sent[1]!.at).toBe(GRACE + INTERVAL);
    expect(translatorCalls()).toBe(1);
    await pump.finish(() => false);
  });

  it('a view that renders as what is on screen, or as nothing, is not sent', async () => {
    const { pump, sent } = pumpWith();
    pump.show(view('same'));
    await vi.advanceTimersByTimeAsync(GRACE);
    pump.show(view('same'));
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    pump.show(view(''));
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    expect(sent.map((s) => s.text)).toEqual(['same']);
    await pump.finish(() => false);
  });

  it('an answer ready within the grace period sends nothing, and finish() does not wait', async () => {
    const { pump, sent, translatorCalls } = pumpWith();
    pump.show(view('fast'));
    await vi.advanceTimersByTimeAsync(GRACE / 2);
    await pump.finish(() => true);
    await vi.advanceTimersByTimeAsync(GRACE * 2);
    expect(sent).toEqual([]);
    expect(translatorCalls()).toBe(0);
  });

  it('finish() waits for the interval after the last send when asked to, so the final edit keeps to it', async () => {
    const { pump, sent } = pumpWith();
    pump.show(view('a'));
    await vi.advanceTimersByTimeAsync(GRACE);
    expect(sent).toHaveLength(1);
    let finished = false;
    void pump.finish(() => true).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(finished).toBe(true);
    pump.show(view('after'));
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    expect(sent).toHaveLength(1);
  });

  it('a send the platform says is already on screen is not tried again', async () => {
    const notModified = new Error('message is not modified');
    const { pump, sent } = pumpWith(
      (_, n) => (n === 1 ? notModified : undefined),
      (err, c) => (err === notModified ? c.markShown() : c.stop()),
    );
    pump.show(view('a'));
    await vi.advanceTimersByTimeAsync(GRACE + INTERVAL * 4);
    expect(sent.map((s) => s.text)).toEqual(['a']);
    pump.show(view('ab'));
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(sent.map((s) => s.text)).toEqual(['a', 'ab']);
    await pump.finish(() => false);
  });

  it('after a failure the platform can put the next send off, have the last view sent again, or stop', async () => {
    const later = new Error('retry after 3 s');
    const elsewhere = new Error('drafts not available');
    const fatal = new Error('forbidden');
    const errors = [later, elsewhere, fatal];
    const { pump, sent } = pumpWith(
      (_, n) => errors[n - 1],
      (err, c) => {
        if (err === later) c.notBefore(Date.now() + 3000);
        else if (err === elsewhere) c.forgetShown();
        else c.stop();
      },
    );
    pump.show(view('a'));
    await vi.advanceTimersByTimeAsync(GRACE); // 1st send: "retry after 3 s"
    await vi.advanceTimersByTimeAsync(2999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 2nd: the same view again, after the wait; fails "elsewhere"
    expect(sent.map((s) => [s.text, s.at])).toEqual([
      ['a', GRACE],
      ['a', GRACE + 3000],
    ]);
    await vi.advanceTimersByTimeAsync(INTERVAL); // 3rd: sent again at once after the interval; fails for good
    expect(sent).toHaveLength(3);
    pump.show(view('ab'));
    await vi.advanceTimersByTimeAsync(INTERVAL * 4);
    expect(sent).toHaveLength(3);
    await pump.finish(() => false);
  });
});
