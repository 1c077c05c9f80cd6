// /flashcards as a slash command through the real Discord adapter (discord.js) in the bot's own process
// (bench/support/bot-process.ts, bot-adapters.ts), against the fake Discord (gateway + REST) in another
// (discord-fake-driver.ts, which also times them: from the gateway dispatch of INTERACTION_CREATE to the REST edit
// of the deferred reply with the cards).
import { runAdapterLoad, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';

export async function discordCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  return {
    ...(await runAdapterLoad('discord', o)),
    note: "/flashcards slash command in each learner's DM: fake gateway (own process) INTERACTION_CREATE → discord.js → defer → front door (the bot in its own process, plain node over dist/) → REST edit of the deferred reply received by the fake; discord.js global REST limit lifted",
  };
}
