import type { TutorFrontDoor } from '../../src/commands/front-door.ts';
import type { OpenLoopResult } from './open-loop.ts';

export interface AdapterLoadOptions {
  frontDoor: TutorFrontDoor;
  rate: number;
  count: number;
  learners: number;
  maxMs: number;
  command: string;
}

export type AdapterLoadResult = { result: OpenLoopResult; note: string } | { unavailable: string };

/** FIFO of answers awaited per chat. */
export class ReplyWaiters<K> {
  private readonly queues = new Map<K, Array<{ resolve: () => void; reject: (error: Error) => void }>>();

  wait(key: K): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ resolve, reject });
      this.queues.set(key, queue);
    });
  }

  settle(key: K, error?: Error): void {
    const waiter = this.queues.get(key)?.shift();
    if (!waiter) return;
    if (error) waiter.reject(error);
    else waiter.resolve();
  }
}
