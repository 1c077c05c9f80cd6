// What a benchmark scenario returns: figures, each measured next to a reference taken in the same run.
export interface Figure {
  /** "<scenario>: <what>", unique within a run. */
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run on the same machine. */
  reference?: { name: string; value: number };
  /** value / reference.value (filled in by figure() when a reference is given). */
  ratio?: number;
  /** Human-readable target, e.g. "≥ 20× reference" or "≤ 10 ms". */
  target?: string;
  /** Whether the target was met (undefined: informational figure, no target). */
  met?: boolean;
  /** How it was measured, and for a missed target why. */
  note?: string;
}

export interface ScenarioContext {
  /** PostgreSQL server for the PostgreSQL figures (BENCH_POSTGRES_URL); undefined: those figures are skipped. */
  postgresUrl: string | undefined;
  /** Progress lines (stderr), so a long run shows where it is. */
  progress(message: string): void;
}

export interface Scenario {
  /** Short id, used by --only. */
  id: string;
  title: string;
  run(ctx: ScenarioContext): Promise<Figure[]>;
}

/** Builds a figure and fills in ratio (value / reference) when a reference is given. */
export function figure(f: Omit<Figure, 'ratio'> & { ratio?: number }): Figure {
  const ratio = f.ratio ?? (f.reference && f.reference.value !== 0 ? f.value / f.reference.value : undefined);
  return { ...f, ...(ratio !== undefined ? { ratio } : {}) };
}
