// Runs the fake OpenAI server (test/support/fake-openai.ts with the tutor responder) in its own process, so
// that in load scenarios the "LLM" does not share the bot's event loop and CPU time, as a real one would not.
// Controlled by its parent over IPC (bench/support/fake-llm-process.ts).
import { startFakeTutorLlm } from './core.ts';

const fake = await startFakeTutorLlm();
const send = (message: unknown) => process.send?.(message);

process.on('message', (message: { id: number; type: 'latency' | 'stats' | 'close'; ms?: number; schemaName?: string }) => {
  if (message.type === 'latency') {
    fake.setLatency(message.ms ?? 0);
    send({ id: message.id });
  } else if (message.type === 'stats') {
    const body = message.schemaName ? fake.requests.find((r) => r.schemaName === message.schemaName)?.body : undefined;
    send({ id: message.id, requests: fake.requests.length, usage: fake.usageTotals(), body });
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
