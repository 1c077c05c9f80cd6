// The process Notifier routes reminders to the running adapter of the target's platform: the terminal
// prints them; a platform this process does not run, or an adapter that throws, reports 'failed'.
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapter, terminalChatId } from '../../src/bots/console/adapter.ts';
import type { PlatformAdapter } from '../../src/bots/adapter.ts';
import { textReply } from '../../src/core/types.ts';
import { createAdapterNotifier } from '../../src/notifier.ts';
import { createTestCore, type TestCore } from '../support/core.ts';

let t: TestCore;
beforeEach(async () => {
  t = await createTestCore();
});
afterEach(async () => {
  await t.close();
});

const failingAdapter = (platform: 'discord', error?: Error): PlatformAdapter => ({
  platform,
  start: async () => {},
  stop: async () => {},
  isConnected: () => true,
  send: async () => {
    if (error) throw error;
    return 'blocked';
  },
});

describe('adapter notifier', () => {
  it('prints a reminder in the terminal', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += String(chunk)));
    const terminal = createConsoleAdapter({ frontDoor: t.frontDoor, logger: t.logger, input: new PassThrough(), output, filesDir: tmpdir(), userName: 'ana' });
    const notifier = createAdapterNotifier([terminal], t.logger);
    expect(notifier.platforms).toEqual(['console']);
    // Another OS user's reminder is not shown here: it stays for their terminal.
    expect(await notifier.send({ platform: 'console', chatId: terminalChatId('ben') }, [textReply("Ben's 5 flashcards are due.")])).toBe('failed');
    expect(await notifier.send({ platform: 'console', chatId: terminalChatId('ana') }, [textReply('You have 2 flashcards due today.')])).toBe('sent');
    expect(printed).toContain('You have 2 flashcards due today.');
    expect(printed).not.toContain('Ben');
  });

  it("reports 'failed' for a platform not running here and for an adapter that throws; passes 'blocked' on", async () => {
    const none = createAdapterNotifier([], t.logger);
    expect(await none.send({ platform: 'telegram', chatId: '1' }, [textReply('x')])).toBe('failed');
    expect(await createAdapterNotifier([failingAdapter('discord')], t.logger).send({ platform: 'discord', chatId: '1' }, [textReply('x')])).toBe('blocked');
    const throwing = createAdapterNotifier([failingAdapter('discord', new Error('socket closed'))], t.logger);
    expect(await throwing.send({ platform: 'discord', chatId: '1' }, [textReply('x')])).toBe('failed');
  });
});
