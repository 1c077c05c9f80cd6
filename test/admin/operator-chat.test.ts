// `/admin` in chat: an operator of ADMIN_USER_IDS in a private chat gets today's figures, the week's five
// worst-rated items and a chart; anyone else (another learner, the operator in a group) gets exactly what an
// unknown command gets. Through the real front door, fake OpenAI server and SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

describe('/admin in chat', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore({ env: { ADMIN_USER_IDS: 'console:ana, telegram:999' } });
  });
  afterAll(async () => t?.close());

  const as = (id: string, isGroup = false) => incomingFrom(t.logger, { id, name: id }, { isGroup, id: isGroup ? 'group-1' : `chat-${id}` });

  it('gives an operator the figures, the worst items and a chart in a private chat, and nobody else anything', async () => {
    await t.frontDoor.text(as('ben'), '/flashcards kitchen words count:3', { addressed: true });
    expect(replyText(await t.frontDoor.text(as('ben'), '/rate 1', { addressed: true }))).toContain('1/5');
    await t.frontDoor.text(as('ben'), '/exercises cooking verbs count:2', { addressed: true });
    expect(replyText(await t.frontDoor.text(as('ben'), '/rate 4', { addressed: true }))).toContain('4/5');
    await t.core.activityLog.flush();
    const [cards] = await t.prisma.generation.findMany({ orderBy: { id: 'asc' } });

    const replies = (await t.frontDoor.text(as('ana'), '/admin', { addressed: true }))!;
    const text = replyText(replies);
    expect(text).toMatch(/Today \(\d{4}-\d{2}-\d{2}, UTC\)/);
    expect(text).toContain('Generations today: 2');
    expect(text).toContain('Ratings today: 2, average 2.50');
    const worst = text.slice(text.indexOf('The five worst-rated items of the week:'));
    // The item rated 1 comes first, with its prompt version and query.
    expect(worst.split('\n')[1]).toBe(`#${cards!.id} flashcards es A2, prompt ${cards!.promptVersion}: 1.0/5 (1), “kitchen words”`);
    const png = replies[0]!.attachment!;
    expect(png.mimeType).toBe('image/png');
    expect(String.fromCharCode(...png.data.slice(1, 4))).toBe('PNG');

    const unknown = replyText(await t.frontDoor.text(as('ben'), '/nosuch', { addressed: true })).replace('nosuch', 'admin');
    expect(replyText(await t.frontDoor.text(as('ben'), '/admin', { addressed: true }))).toBe(unknown);
    expect(replyText(await t.frontDoor.text(as('ana', true), '/admin', { addressed: true }))).toBe(unknown);
    // Not a registered command: not offered on Discord or in /help.
    expect(t.frontDoor.commands.map((c) => c.name)).not.toContain('admin');
  });
});

describe('/admin in chat without ADMIN_USER_IDS', () => {
  it('is an unknown command for everyone', async () => {
    const t = await createTestCore();
    try {
      const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
      expect(replyText(await t.frontDoor.text(ana, '/admin', { addressed: true }))).toBe(replyText(await t.frontDoor.text(ana, '/nosuch', { addressed: true })).replace('nosuch', 'admin'));
    } finally {
      await t.close();
    }
  });
});
