// /flashcards as a slash command through the real Discord adapter (discord.js) in this process, against the
// fake Discord (gateway + REST) in its own process (bench/support/discord-fake-driver.ts, which also times
// them: from the gateway dispatch of INTERACTION_CREATE to the REST edit of the deferred reply with the cards).
// discord.js's own global limit of 50 REST requests/s (Discord's documented per-bot limit) is lifted for the
// run, as Telegram's throttles are, so this is about overhead only.
import { createRequire } from 'node:module';
import { silentLogger } from './silent-logger.ts';
import { runAdapterLoad, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';

export async function discordCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  let adapterModule: typeof import('../../src/bots/discord/index.ts');
  let rest: { DefaultRestOptions: { globalRequestsPerSecond: number } };
  try {
    adapterModule = await import('../../src/bots/discord/index.ts');
    // discord.js is CommonJS and require()s @discordjs/rest's CommonJS build; `import('@discordjs/rest')` here
    // would load its separate ESM build, whose DefaultRestOptions discord.js never reads (dual package), and the
    // client would keep its 50 requests/s. So take the very module instance discord.js itself loads.
    const requireFromHere = createRequire(import.meta.url);
    rest = createRequire(requireFromHere.resolve('discord.js'))('@discordjs/rest') as typeof rest;
  } catch (error) {
    return { unavailable: `the Discord adapter could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  const previousGlobalLimit = rest.DefaultRestOptions.globalRequestsPerSecond;
  rest.DefaultRestOptions.globalRequestsPerSecond = 1_000_000;
  try {
    const runs = await runAdapterLoad('discord', o, (fake) =>
      adapterModule.createDiscordAdapter({
        token: fake.token!,
        apiBaseUrl: fake.apiBase!,
        frontDoor: o.frontDoor,
        logger: silentLogger(),
        messageContentIntent: true,
      }),
    );
    return {
      runs,
      note: "/flashcards slash command in each learner's DM: fake gateway (own process) INTERACTION_CREATE → discord.js → defer → front door → REST edit of the deferred reply received by the fake; discord.js global REST limit lifted",
    };
  } finally {
    rest.DefaultRestOptions.globalRequestsPerSecond = previousGlobalLimit;
  }
}
