// /flashcards as a slash command through the real Discord adapter (discord.js), built as production runs it
// (dist/), in this process, against the fake Discord (gateway + REST) in its own process
// (bench/support/discord-fake-driver.ts, which also times them: from the gateway dispatch of INTERACTION_CREATE
// to the REST edit of the deferred reply with the cards). discord.js's own global limit of 50 REST requests/s
// (Discord's documented per-bot limit) is lifted for the run, as Telegram's throttles are, so this is about
// overhead only.
import { silentLogger } from './silent-logger.ts';
import { runAdapterLoad, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';
import { builtDiscordAdapter } from './built.ts';

export async function discordCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  let adapterModule: typeof import('../../src/bots/discord/index.ts');
  try {
    adapterModule = await builtDiscordAdapter();
  } catch (error) {
    return { unavailable: `the Discord adapter could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  const runs = await runAdapterLoad('discord', o, (fake) =>
    adapterModule.createDiscordAdapter({
      token: fake.token!,
      apiBaseUrl: fake.apiBase!,
      frontDoor: o.frontDoor,
      logger: silentLogger(),
      messageContentIntent: true,
      restGlobalRequestsPerSecond: 1_000_000,
    }),
  );
  return {
    runs,
    note: "/flashcards slash command in each learner's DM: fake gateway (own process) INTERACTION_CREATE → discord.js → defer → front door → REST edit of the deferred reply received by the fake; discord.js global REST limit lifted",
  };
}
