// CHECK rules from the seed designs, added to generated migration SQL by scripts/new-migration.ts.
// The same rules are enforced in code (src/core/content-types.ts, the feedback service); the database is the backstop.
import type { DatabaseProvider } from '../src/core/db/url.ts';
import { ACTIVITY_CONTENT_TYPES, CONTENT_TYPES, LOG_DIRECTIONS } from '../src/core/content-types.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const CHECKS: Record<string, Array<[name: string, condition: string]>> = {
  activity_log: [
    ['activity_log_content_type_check', `"content_type" IN (${list(ACTIVITY_CONTENT_TYPES)})`],
    ['activity_log_direction_check', `"direction" IN (${list(LOG_DIRECTIONS)})`],
  ],
  saved_content: [['saved_content_content_type_check', `"content_type" IN (${list(CONTENT_TYPES)})`]],
  generations: [['generations_content_type_check', `"content_type" IN (${list(CONTENT_TYPES)})`]],
  review_logs: [['review_logs_rating_check', `"rating" >= 1 AND "rating" <= 4`]],
  users: [['users_desired_retention_check', `"desired_retention" > 0.5 AND "desired_retention" < 1`]],
  feedback: [
    ['feedback_rating_check', `"rating" IS NULL OR ("rating" >= 1 AND "rating" <= 5)`],
    ['feedback_has_content_check', `"rating" IS NOT NULL OR "feedback_text" IS NOT NULL`],
  ],
};

/**
 * SQLite cannot add a constraint to an existing table, so the rule goes into each CREATE TABLE of that table
 * (including Prisma's "new_<table>" copies when it redefines a table). PostgreSQL gets ALTER TABLE statements.
 */
export function addCheckConstraints(provider: DatabaseProvider, sql: string): string {
  let out = sql;
  const extra: string[] = [];
  for (const [table, checks] of Object.entries(CHECKS)) {
    const create = new RegExp(`CREATE TABLE "(new_)?${table}" \\(([\\s\\S]*?)\\n\\);`, 'g');
    out = out.replace(create, (whole, _prefix: string | undefined, body: string) => {
      if (provider === 'postgresql') {
        for (const [name, condition] of checks) extra.push(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" CHECK (${condition});`);
        return whole;
      }
      const clauses = checks.map(([name, condition]) => `,\n    CONSTRAINT "${name}" CHECK (${condition})`).join('');
      return whole.replace(body, body + clauses);
    });
  }
  if (provider === 'postgresql') {
    // A rule on a column this migration adds to an existing table (SQLite redefines the table instead).
    for (const [table, checks] of Object.entries(CHECKS)) {
      if (new RegExp(`CREATE TABLE "${table}" \\(`).test(sql)) continue;
      for (const [name, condition] of checks) {
        const columns = [...condition.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]!);
        const added = columns.some((c) => new RegExp(`ALTER TABLE "${table}" [^;]*ADD COLUMN\\s+"${c}"`).test(sql));
        if (added) extra.push(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" CHECK (${condition});`);
      }
    }
  }
  return extra.length ? `${out}\n-- CHECK rules from the seed designs (prisma/checks.ts)\n${extra.join('\n')}\n` : out;
}
