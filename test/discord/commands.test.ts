// Contract: every slash command generated from the neutral definitions obeys Discord's rules, and the
// deploy CLI registers exactly those definitions (checked against the fake, which validates them too).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSlashCommands } from '../../src/bots/discord/commands.ts';
import { decodeOptions } from '../../src/bots/discord/options.ts';
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { defineCommand, type AnyCommand } from '../../src/commands/define.ts';
import { COMMANDS } from '../../src/commands/registry.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { validateCommands } from '../support/fake-discord/limits.ts';
import { STUB_COMMANDS } from './helpers/stub-front-door.ts';

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/** Discord's rules, written out independently of the fake's validator. */
function checkDiscordRules(commands: readonly AnyCommand[]): void {
  const json = buildSlashCommands(commands);
  expect(json).toHaveLength(commands.length);
  expect(validateCommands(json)).toEqual([]);
  for (const command of json) {
    expect(command.name).toMatch(NAME);
    expect(command.name).toBe(command.name.toLowerCase());
    expect(command.description.length).toBeGreaterThanOrEqual(1);
    expect(command.description.length).toBeLessThanOrEqual(100);
    const options = command.options ?? [];
    expect(options.length).toBeLessThanOrEqual(25);
    const firstOptional = options.findIndex((o) => !o.required);
    if (firstOptional >= 0) expect(options.slice(firstOptional).every((o) => !o.required)).toBe(true);
    for (const option of options) {
      expect(option.name).toMatch(NAME);
      expect(option.name).toBe(option.name.toLowerCase());
      expect(option.description.length).toBeGreaterThanOrEqual(1);
      expect(option.description.length).toBeLessThanOrEqual(100);
      expect([3, 4, 5, 11]).toContain(option.type);
      const choices = 'choices' in option ? (option.choices ?? []) : [];
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices) expect(choice.name.length).toBeLessThanOrEqual(100);
      if ('autocomplete' in option && option.autocomplete) expect(choices).toEqual([]);
    }
  }
}

describe('slash command encoding', () => {
  it('the real registry obeys Discord rules', () => checkDiscordRules(COMMANDS));
  it('the test commands obey Discord rules', () => checkDiscordRules(STUB_COMMANDS));

  it('repairs definitions Discord would reject: order, long texts, too many choices', () => {
    const awkward = defineCommand({
      name: 'quiz',
      description: 'x'.repeat(150),
      options: [
        { name: 'mode', description: 'y'.repeat(120), type: 'string', choices: Array.from({ length: 30 }, (_, i) => ({ name: `mode ${i} ${'z'.repeat(120)}`, value: `m${i}` })) },
        { name: 'topic', description: 'Topic', type: 'string', rest: true, required: true, maxLength: 10_000 },
        { name: 'lang', description: 'Language', type: 'language' },
        { name: 'level', description: 'Level', type: 'level', required: true },
        { name: 'count', description: 'Count', type: 'integer', min: 1, max: 20 },
      ],
      run: async () => [],
    });
    checkDiscordRules([awkward]);
    const [json] = buildSlashCommands([awkward]);
    expect(json!.options!.map((o) => o.name)).toEqual(['topic', 'level', 'mode', 'lang', 'count']);
    const byName = Object.fromEntries(json!.options!.map((o) => [o.name, o as unknown as Record<string, unknown>]));
    expect(byName.level!.choices).toEqual(['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map((l) => ({ name: l, value: l })));
    expect(byName.lang).toMatchObject({ type: 3, autocomplete: true });
    expect(byName.count).toMatchObject({ type: 4, min_value: 1, max_value: 20 });
    expect(byName.topic).toMatchObject({ type: 3, required: true, max_length: 6000 });
  });

  it('decodes interaction options back by definition name', () => {
    const flashcards = STUB_COMMANDS.find((c) => c.name === 'flashcards')!;
    const args = decodeOptions(flashcards, [
      { name: 'topic', type: 3, value: 'kitchen' },
      { name: 'count', type: 4, value: 5 },
      { name: 'unknown', type: 3, value: 'ignored' },
    ]);
    expect(args).toEqual({ topic: 'kitchen', count: 5 });
  });
});

describe('deploy-commands against the fake', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake.close());

  it('registers globally, asking Discord for the application id', async () => {
    const result = await deployCommands({ token: fake.token, apiBaseUrl: fake.apiBase, commands: COMMANDS });
    expect(result).toMatchObject({ applicationId: fake.applicationId, scope: 'global' });
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/oauth2/applications/@me')).toBe(true);
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === `/applications/${fake.applicationId}/commands`)!;
    expect(put.status).toBe(200);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(buildSlashCommands(COMMANDS))));
    expect(fake.world.globalCommands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
  });

  it('registers in one guild when a guild id is given', async () => {
    await deployCommands({ token: fake.token, apiBaseUrl: `${fake.apiBase}/v10/`, applicationId: fake.applicationId, guildId: fake.guildId, commands: COMMANDS });
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`)!;
    expect(put.status).toBe(200);
    expect(fake.world.guildCommands).toHaveLength(COMMANDS.length);
  });

  it('the CLI reads the environment and explains a missing token', async () => {
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['dist/cli/deploy-commands.js'], {
          env: { PATH: process.env.PATH ?? '', ...env },
          cwd: process.cwd(),
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const missing = await run({ DISCORD_TOKEN: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('DISCORD_TOKEN is not set');

    const before = fake.calls.length;
    const ok = await run({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE_URL: fake.apiBase, DISCORD_GUILD_ID: fake.guildId });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Registered ${COMMANDS.length} commands in guild ${fake.guildId}`);
    expect(ok.stdout).not.toContain(fake.token);
    expect(fake.calls.slice(before).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET /oauth2/applications/@me 200',
      `PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands 200`,
    ]);

    const bad = await run({ DISCORD_TOKEN: 'wrong-token', DISCORD_API_BASE_URL: fake.apiBase, DISCORD_APPLICATION_ID: fake.applicationId });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Could not register the commands');
    expect(bad.stderr).not.toContain('wrong-token');
  }, 60_000);
});
