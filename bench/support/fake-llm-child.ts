// Runs the fake OpenAI server (test/support/fake-openai.ts with the tutor responder) in its own process, so
// that in load scenarios the "LLM" does not share the bot's event loop and CPU time, as a real one would not.
// Controlled by its parent over IPC (bench/support/fake-llm-process.ts).
import { serveParent } from './child-rpc.ts';
import { startFakeTutorLlm } from './core.ts';

// What the parent may ask about (stats): a count, and the first request of each schema. Not every request:
// under load the list would only grow, and with it the fake's collections.
let received = 0;
const firstBySchema = new Map<string, Record<string, unknown>>();
const fake = await startFakeTutorLlm({
  keepRequests: false,
  onRequest(request) {
    received++;
    if (request.schemaName && !firstBySchema.has(request.schemaName)) firstBySchema.set(request.schemaName, request.body);
  },
});
serveParent(
  {
    latency: (message: { ms?: number }) => void fake.setLatency(message.ms ?? 0),
    stats: (message: { schemaName?: string }) => {
      const cpu = process.cpuUsage();
      return {
        requests: received,
        usage: fake.usageTotals(),
        body: message.schemaName ? firstBySchema.get(message.schemaName) : undefined,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    },
  },
  () => fake.close(),
  { url: fake.url },
);
