// Configuration: .env.example as shipped is a valid configuration, and bad values are named.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { projectRoot } from '../../src/core/paths.ts';

describe('config', () => {
  it('.env.example copied as .env starts the bot with its documented defaults', () => {
    const config = loadConfig(parse(readFileSync(join(projectRoot, '.env.example'))));
    expect(config).toMatchObject({ OPENAI_MODEL: 'gpt-4o-mini', ACTIVITY_LOG_BATCH_SIZE: 100, ACTIVITY_LOG_MAX_AGE_MS: 2000, DEFAULT_LEVEL: 'A2' });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable, and never echoes a secret', () => {
    try {
      loadConfig({ LLM_TIMEOUT_MS: 'soon', USER_DAILY_QUOTA: '-1', TELEGRAM_WEBHOOK_URL: 'https://bot.example/hook', TELEGRAM_BOT_TOKEN: '42:secret-value' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('LLM_TIMEOUT_MS');
      expect(message).toContain('USER_DAILY_QUOTA');
      expect(message).not.toContain('secret-value');
    }
  });
});
