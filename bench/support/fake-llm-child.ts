// Runs the fake OpenAI server (test/support/fake-openai.ts with the tutor responder) in its own process, so
// that in load scenarios the "LLM" does not share the bot's event loop and CPU time, as a real one would not.
// Controlled by its parent over IPC (bench/support/fake-llm-process.ts).
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
const send = (message: unknown) => process.send?.(message);

process.on('message', (message: { id: number; type: 'latency' | 'stats' | 'close'; ms?: number; schemaName?: string }) => {
  if (message.type === 'latency') {
    fake.setLatency(message.ms ?? 0);
    send({ id: message.id });
  } else if (message.type === 'stats') {
    const body = message.schemaName ? firstBySchema.get(message.schemaName) : undefined;
    const cpu = process.cpuUsage();
    send({ id: message.id, requests: received, usage: fake.usageTotals(), body, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (message.type === 'close') {
    void fake.close().then(() => {
      send({ id: message.id });
      process.disconnect?.();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
send({ type: 'ready', url: fake.url });
