// The fake must refuse what Discord refuses, or the other tests prove nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_BOT_PERMISSIONS, FakeDiscord, INTENTS, PERMISSIONS, type FakeInteraction } from '../support/fake-discord/index.ts';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(() => fake.close());

async function api(method: string, path: string, body?: unknown, auth = true) {
  const response = await fetch(`${fake.apiBase}/v10${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bot ${fake.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const send = (body: unknown) => api('POST', `/channels/${fake.channelId}/messages`, body);
const button = (id: string, label = 'ok') => ({ type: 2, style: 1, custom_id: id, label });

describe('fake Discord REST', () => {
  it('answers GET /gateway/bot with its own gateway and requires the bot token', async () => {
    expect((await api('GET', '/gateway/bot')).json).toMatchObject({ url: fake.gatewayUrl, shards: 1 });
    expect((await api('GET', '/users/@me', undefined, false)).status).toBe(401);
    expect((await api('GET', '/oauth2/applications/@me')).json).toMatchObject({ id: fake.applicationId });
  });

  it('refuses messages over the limits with 50035', async () => {
    const over = [
      { content: 'x'.repeat(2001) },
      { embeds: [{ title: 't'.repeat(257) }] },
      { embeds: [{ description: 'd'.repeat(4097) }] },
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
      { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] },
      { embeds: [{ description: 'd'.repeat(3500) }, { description: 'd'.repeat(3500) }] },
      { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) },
      { embeds: [{ title: 't', footer: { text: 'f'.repeat(2049) } }] },
      { components: Array.from({ length: 6 }, (_, r) => ({ type: 1, components: [button(`r${r}`)] })) },
      { components: [{ type: 1, components: Array.from({ length: 6 }, (_, b) => button(`b${b}`)) }] },
      { components: [{ type: 1, components: [button('x'.repeat(101))] }] },
      { components: [{ type: 1, components: [button('a', 'l'.repeat(81))] }] },
      { components: [{ type: 1, components: [button('same'), button('same')] }] },
    ];
    for (const body of over) {
      const response = await send(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json!.code).toBe(50035);
    }
    expect((await send({})).json).toMatchObject({ code: 50006 });
    expect((await send({ content: 'x'.repeat(2000) })).status).toBe(200);
  });

  it('answers 204 without a content type', async () => {
    const message = (await send({ content: 'react to me' })).json!;
    const response = await api('PUT', `/channels/${fake.channelId}/messages/${message.id}/reactions/${encodeURIComponent('1️⃣')}/@me`);
    expect(response).toMatchObject({ status: 204, type: null });
  });

  it('enforces thread names and the Create Public Threads permission', async () => {
    const message = (await send({ content: 'start a thread here' })).json!;
    const path = `/channels/${fake.channelId}/messages/${message.id}/threads`;
    expect((await api('POST', path, { name: '' })).json).toMatchObject({ code: 50035 });
    expect((await api('POST', path, { name: 'n'.repeat(101) })).json).toMatchObject({ code: 50035 });
    fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.CREATE_PUBLIC_THREADS);
    expect(await api('POST', path, { name: 'ok' })).toMatchObject({ status: 403, json: { code: 50013 } });
    fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS);
    expect(await api('POST', path, { name: 'ok', auto_archive_duration: 1440 })).toMatchObject({ status: 201, json: { id: message.id, type: 11 } });
  });

  it('enforces the 3-second rule and single acknowledgement', async () => {
    const user = fake.addUser('tester');
    const callback = (i: FakeInteraction, type: number) => api('POST', `/interactions/${i.id}/${i.token}/callback`, { type }, false);
    const late = fake.slashCommand({ name: 'help', user, ageMs: 3_100 });
    expect(await callback(late, 5)).toMatchObject({ status: 404, json: { code: 10062 } });
    expect(fake.acknowledgedInTime(late.id)).toBe(false);

    const fresh = fake.slashCommand({ name: 'help', user });
    expect((await api('POST', `/webhooks/${fake.applicationId}/${fresh.token}`, { content: 'too early' }, false)).status).toBe(404);
    expect((await callback(fresh, 5)).status).toBe(204);
    expect(await callback(fresh, 5)).toMatchObject({ status: 400, json: { code: 40060 } });
    expect(fake.acknowledgedInTime(fresh.id)).toBe(true);
    const edited = await api('PATCH', `/webhooks/${fake.applicationId}/${fresh.token}/messages/@original`, { content: 'x'.repeat(2001) }, false);
    expect(edited.json).toMatchObject({ code: 50035 });
  });

  it('blanks guild message content for bots without the MessageContent intent, unless mentioned', async () => {
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const events: Array<{ t: string; d: Record<string, unknown> }> = [];
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; t: string; d: Record<string, unknown> };
      if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: INTENTS.GUILDS | INTENTS.GUILD_MESSAGES, properties: {} } }));
      if (payload.op === 0) events.push(payload);
    });
    await fake.waitFor(() => events.some((e) => e.t === 'GUILD_CREATE'), 15_000, 'GUILD_CREATE');
    const author = fake.addUser('chatter');
    fake.sendMessage({ author, content: 'secret chatter' });
    fake.sendMessage({ author, content: 'hello bot', mentionBot: true });
    const messages = await fake.waitFor(() => {
      const list = events.filter((e) => e.t === 'MESSAGE_CREATE');
      return list.length === 2 && list;
    }, 5_000, 'two messages');
    expect(messages.map((m) => m.d.content)).toEqual(['', `<@${fake.bot.id}> hello bot`]);
    socket.close();
  });
});
