// A lease: at most one holder at a time among the bot processes, for a job only one may do (polling one
// Telegram bot token). The holder renews it; a holder that dies loses it (Redis: when its time runs out;
// PostgreSQL: when its session ends).
export interface Lease {
  /** For logs: what is leased (never a secret). */
  readonly name: string;
  /** Takes the lease if it is free (true); true too if this holder has it already. Rejects when the store cannot answer. */
  tryAcquire(): Promise<boolean>;
  /** Extends the lease; false when this holder no longer has it. Rejects when the store cannot answer. */
  renew(): Promise<boolean>;
  /** Gives the lease up (if held) and frees what it uses. Never rejects. */
  release(): Promise<void>;
}
