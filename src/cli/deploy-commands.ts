// `npm run deploy-commands`: registers the slash commands (built from the same definitions the bot runs)
// with Discord: globally, or in one guild when DISCORD_GUILD_ID is set (instant, handy while developing).
// Environment: DISCORD_TOKEN (required), DISCORD_APPLICATION_ID (else asked from Discord),
// DISCORD_GUILD_ID, DISCORD_API_BASE_URL (a local fake or proxy).
import 'dotenv/config';
import { pathToFileURL } from 'node:url';
import { REST, Routes, type APIApplication } from 'discord.js';
import type { AnyCommand } from '../commands/define.ts';
import { COMMANDS } from '../commands/registry.ts';
import { restApiBase } from '../bots/discord/client.ts';
import { buildSlashCommands } from '../bots/discord/commands.ts';

export interface DeployOptions {
  token: string;
  applicationId?: string;
  guildId?: string;
  apiBaseUrl?: string;
  commands: readonly AnyCommand[];
}

export interface DeployResult {
  applicationId: string;
  scope: 'global' | 'guild';
  names: string[];
}

export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const rest = new REST({ version: '10', ...(options.apiBaseUrl ? { api: restApiBase(options.apiBaseUrl) } : {}) }).setToken(options.token);
  const applicationId = options.applicationId ?? ((await rest.get(Routes.oauth2CurrentApplication())) as APIApplication).id;
  const body = buildSlashCommands(options.commands);
  const route = options.guildId ? Routes.applicationGuildCommands(applicationId, options.guildId) : Routes.applicationCommands(applicationId);
  // PUT replaces the whole set: commands removed from the registry disappear from Discord too.
  await rest.put(route, { body });
  return { applicationId, scope: options.guildId ? 'guild' : 'global', names: body.map((c) => c.name) };
}

export const MISSING_TOKEN = `DISCORD_TOKEN is not set.

Set it in the environment or in .env (see .env.example): the bot token from
https://discord.com/developers/applications → your application → Bot → Reset Token.
Optional: DISCORD_APPLICATION_ID (otherwise looked up), DISCORD_GUILD_ID (register in one server only,
effective at once; global commands can take a while to appear).
`;

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

export async function main(): Promise<number> {
  const token = env('DISCORD_TOKEN');
  if (!token) {
    process.stderr.write(MISSING_TOKEN);
    return 2;
  }
  const applicationId = env('DISCORD_APPLICATION_ID');
  const guildId = env('DISCORD_GUILD_ID');
  const apiBaseUrl = env('DISCORD_API_BASE_URL');
  try {
    const result = await deployCommands({
      token,
      commands: COMMANDS,
      ...(applicationId ? { applicationId } : {}),
      ...(guildId ? { guildId } : {}),
      ...(apiBaseUrl ? { apiBaseUrl } : {}),
    });
    const where = result.scope === 'guild' ? `in guild ${guildId}` : 'globally (may take up to an hour to show everywhere)';
    process.stdout.write(`Registered ${result.names.length} commands ${where} for application ${result.applicationId}: ${result.names.map((n) => `/${n}`).join(' ')}\n`);
    return 0;
  } catch (error) {
    // discord.js errors name the route and Discord's reason, never the token.
    process.stderr.write(`Could not register the commands: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
