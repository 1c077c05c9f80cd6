// Shared by the fault and fuzz suites: an unhandled-rejection recorder, catalogue messages as patterns,
// bounded waiting.
import { afterAll, beforeAll } from 'vitest';
import { CATALOGUES, createI18n, type MessageKey } from '../../src/core/i18n/index.ts';

export const en = createI18n().translator('en');

/** An English catalogue message as a RegExp, its {{placeholders}} matching anything. */
export function message(key: MessageKey): RegExp {
  const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], CATALOGUES.en);
  if (typeof template !== 'string') throw new Error(`no message ${key}`);
  const escaped = template
    .split(/\{\{[^}]*\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(escaped);
}

/**
 * Records every unhandled promise rejection while the calling file's tests run (installed in beforeAll).
 * Assert `expect(unhandled).toEqual([])` at the end of each test.
 */
export function recordUnhandledRejections(): unknown[] {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(() => void process.on('unhandledRejection', onUnhandled));
  afterAll(() => void process.off('unhandledRejection', onUnhandled));
  return unhandled;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms; throws after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
