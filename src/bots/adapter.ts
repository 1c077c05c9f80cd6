// What the composition root needs from each platform adapter.
import type { DeliveryResult, Reply } from '../core/types.ts';

export interface PlatformAdapter {
  readonly platform: 'console' | 'telegram' | 'discord';
  /** Connects and starts receiving updates; resolves once ready. */
  start(): Promise<void>;
  /** Stops receiving, waits for in-flight updates to finish (bounded), and disconnects. */
  stop(): Promise<void>;
  /** For /healthz: whether the platform connection is up. */
  isConnected(): boolean;
  /**
   * Sends replies to a chat without an incoming update (reminders). 'blocked' when the platform says the
   * learner blocked the bot or the chat is gone (403 / unknown chat): the caller stops writing there.
   */
  send?(chatId: string, replies: Reply[]): Promise<DeliveryResult>;
}
