// Public surface of the Discord adapter.
export { createDiscordAdapter, type DiscordAdapterOptions } from './adapter.ts';
export { buildSlashCommands, buildSlashCommand, type SlashCommandJson } from './commands.ts';
export { renderReply, LIMITS as DISCORD_LIMITS, type RenderedMessage } from './render.ts';
