// The operator dashboard's reads (src/ops/admin). Read-only, every query bounded by a time window and a row
// limit, each one served by an index (the plans on PostgreSQL with 1 million activity rows: docs/benchmarks.md).
// Raw SQL through the one Prisma client: aggregates by day and JSON fields differ by provider (dashboard-sql.ts).
import type { Db } from '../db/client.ts';
import type { DatabaseProvider } from '../db/url.ts';
import { SqlBuilder, toNumber } from './dashboard-sql.ts';
import { timeFrom } from './sql-values.ts';

export const DAY_MS = 86_400_000;

/** Errors the LLM client reports when a limit refused a generation (recorded in the output's log entry). */
export const QUOTA_ERROR = 'errors.dailyQuota';
export const RATE_LIMIT_ERROR = 'errors.userRateLimited';

export interface DayCount {
  day: string;
  key: string;
  count: number;
}

export interface RatingDay {
  day: string;
  count: number;
  average: number;
}

export interface TokenDay {
  day: string;
  promptTokens: number;
  completionTokens: number;
}

export interface QualityRow {
  contentType: string;
  promptVersion: string;
  targetLanguage: string;
  level: string;
  model: string;
  count: number;
  sum: number;
  sumSquares: number;
  firstSeen: Date;
}

export interface WorstItem {
  generationId: number;
  contentType: string;
  queryText: string;
  targetLanguage: string;
  baseLanguage: string;
  level: string;
  promptVersion: string | null;
  model: string | null;
  createdAt: Date;
  content: unknown;
  average: number;
  ratings: number;
  feedback: string[];
}

export interface LearnerUsage {
  userId: number;
  tokens: number;
  calls: number;
}

export interface LearnerRejections {
  quotaHits: number;
  rateLimited: number;
}

export interface ActivityRow {
  id: string;
  userId: number;
  timestamp: Date;
  contentType: string;
  direction: string;
  queryText: string;
  targetLanguage: string;
  baseLanguage: string | null;
  responseMetadata: unknown;
}

export interface ActivityCursor {
  timestamp: Date;
  id: string;
}

export interface ActivitySearch {
  from: Date;
  to: Date;
  contentType?: string;
  language?: string;
  text?: string;
  userId?: number;
  after?: ActivityCursor;
  limit: number;
  /** At most this many entries of the range are read per page (the bound of a text search). */
  scanLimit: number;
}

export interface ActivityPage {
  rows: ActivityRow[];
  /** Where the next page starts; undefined at the end of the range. */
  next?: ActivityCursor;
  /** Entries read for this page: scanLimit when the page stopped at the bound, -1 when the range ended first. */
  scanned: number;
}

export interface FeedbackExportRow {
  feedbackId: number;
  timestamp: Date;
  userId: number;
  rating: number | null;
  feedbackText: string | null;
  generationId: number | null;
  contentType: string | null;
  queryText: string | null;
  targetLanguage: string | null;
  baseLanguage: string | null;
  level: string | null;
  promptVersion: string | null;
  model: string | null;
}

type Row = Record<string, unknown>;

export class DashboardRepository {
  constructor(
    private readonly prisma: Db,
    private readonly provider: DatabaseProvider,
  ) {}

  private sql(): SqlBuilder {
    return new SqlBuilder(this.provider);
  }

  private query(q: SqlBuilder, text: string): Promise<Row[]> {
    return this.prisma.$queryRawUnsafe<Row[]>(text, ...q.params);
  }

  /** Learners seen (any command) since each of `since`: users.last_seen_at, through its index. */
  async activeLearners(since: Date[]): Promise<number[]> {
    const q = this.sql();
    const oldest = since.reduce((a, b) => (a < b ? a : b));
    const columns = since.map((d, i) => `SUM(CASE WHEN "last_seen_at" >= ${q.time(d)} THEN 1 ELSE 0 END) AS c${i}`);
    const [row] = await this.query(q, `SELECT ${columns.join(', ')} FROM "users" WHERE "last_seen_at" >= ${q.time(oldest)}`);
    return since.map((_, i) => toNumber(row?.[`c${i}`]));
  }

  /** Generations per UTC day and content type since `since`. */
  async generationsPerDay(since: Date): Promise<DayCount[]> {
    const q = this.sql();
    const day = q.day('"created_at"');
    const rows = await this.query(
      q,
      `SELECT ${day} AS day, "content_type" AS key, COUNT(*) AS n FROM "generations" WHERE "created_at" >= ${q.time(since)} GROUP BY ${day}, "content_type"`,
    );
    return rows.map((r) => ({ day: String(r.day), key: String(r.key), count: toNumber(r.n) }));
  }

  /** Ratings per UTC day and their average since `since`. */
  async ratingsPerDay(since: Date): Promise<RatingDay[]> {
    const q = this.sql();
    const day = q.day('"timestamp"');
    const rows = await this.query(
      q,
      `SELECT ${day} AS day, COUNT(*) AS n, AVG("rating") AS average FROM "feedback" WHERE "timestamp" >= ${q.time(since)} AND "rating" IS NOT NULL GROUP BY ${day}`,
    );
    return rows.map((r) => ({ day: String(r.day), count: toNumber(r.n), average: Number(r.average) }));
  }

  /** LLM tokens per UTC day since `since`, from the outputs' log entries. */
  async tokensPerDay(since: Date): Promise<TokenDay[]> {
    const q = this.sql();
    const day = q.day('"timestamp"');
    const rows = await this.query(
      q,
      `SELECT ${day} AS day, SUM(${q.jsonNumber('"response_metadata"', 'promptTokens')}) AS p, SUM(${q.jsonNumber('"response_metadata"', 'completionTokens')}) AS c ` +
        `FROM "activity_log" WHERE "timestamp" >= ${q.time(since)} AND "direction" = 'output' GROUP BY ${day}`,
    );
    return rows.map((r) => ({ day: String(r.day), promptTokens: toNumber(r.p), completionTokens: toNumber(r.c) }));
  }

  /** Ratings given since `since`, grouped by content type × prompt version × target language × level × model. */
  async quality(since: Date, maxGroups: number): Promise<QualityRow[]> {
    const q = this.sql();
    const rows = await this.query(
      q,
      'SELECT g."content_type" AS ct, g."prompt_version" AS pv, g."target_language" AS tl, g."level" AS lv, g."model" AS model, ' +
        'COUNT(*) AS n, SUM(f."rating") AS s, SUM(f."rating" * f."rating") AS ss, MIN(g."created_at") AS first_seen ' +
        // The ratings of the window (feedback's timestamp index), each joined to its generation by primary key.
        // On PostgreSQL, OFFSET 0 in a LATERAL keeps the planner from a hash join that reads every generation;
        // SQLite (no LATERAL) joins by primary key anyway.
        (this.provider === 'postgresql'
          ? 'FROM "feedback" f CROSS JOIN LATERAL (SELECT * FROM "generations" g0 WHERE g0."id" = f."related_generation_id" OFFSET 0) g '
          : 'FROM "feedback" f JOIN "generations" g ON g."id" = f."related_generation_id" ') +
        `WHERE f."timestamp" >= ${q.time(since)} AND f."rating" IS NOT NULL AND f."related_generation_id" IS NOT NULL ` +
        'GROUP BY g."content_type", g."prompt_version", g."target_language", g."level", g."model" ' +
        `ORDER BY COUNT(*) DESC LIMIT ${q.param(maxGroups)}`,
    );
    return rows.map((r) => ({
      contentType: String(r.ct),
      promptVersion: r.pv === null ? '—' : String(r.pv),
      targetLanguage: String(r.tl),
      level: String(r.lv),
      model: r.model === null ? '—' : String(r.model),
      count: toNumber(r.n),
      sum: toNumber(r.s),
      sumSquares: toNumber(r.ss),
      firstSeen: timeFrom(r.first_seen),
    }));
  }

  /** The lowest-rated generations among the ratings given in [from, to), with their text feedback. */
  async worstItems(filter: { from: Date; to: Date; contentType?: string; language?: string; limit: number }): Promise<WorstItem[]> {
    const q = this.sql();
    const where = [`f."timestamp" >= ${q.time(filter.from)}`, `f."timestamp" < ${q.time(filter.to)}`, 'f."rating" IS NOT NULL', 'f."related_generation_id" IS NOT NULL'];
    if (filter.contentType) where.push(`g."content_type" = ${q.param(filter.contentType)}`);
    if (filter.language) where.push(`g."target_language" = ${q.param(filter.language)}`);
    const rows = await this.query(
      q,
      'SELECT g."id" AS id, g."content_type" AS ct, g."query_text" AS query, g."target_language" AS tl, g."base_language" AS bl, g."level" AS lv, ' +
        'g."prompt_version" AS pv, g."model" AS model, g."created_at" AS created, g."content" AS content, r.average, r.n ' +
        'FROM (SELECT f."related_generation_id" AS gid, AVG(f."rating") AS average, COUNT(*) AS n ' +
        'FROM "feedback" f JOIN "generations" g ON g."id" = f."related_generation_id" ' +
        `WHERE ${where.join(' AND ')} GROUP BY f."related_generation_id" ` +
        `ORDER BY AVG(f."rating") ASC, COUNT(*) DESC, f."related_generation_id" DESC LIMIT ${q.param(filter.limit)}) r ` +
        'JOIN "generations" g ON g."id" = r.gid ORDER BY r.average ASC, r.n DESC, g."id" DESC',
    );
    const ids = rows.map((r) => toNumber(r.id));
    const texts = await this.feedbackTexts(ids);
    return rows.map((r) => {
      const id = toNumber(r.id);
      return {
        generationId: id,
        contentType: String(r.ct),
        queryText: String(r.query),
        targetLanguage: String(r.tl),
        baseLanguage: String(r.bl),
        level: String(r.lv),
        promptVersion: r.pv === null ? null : String(r.pv),
        model: r.model === null ? null : String(r.model),
        createdAt: timeFrom(r.created),
        content: typeof r.content === 'string' ? safeJson(r.content) : r.content,
        average: Number(r.average),
        ratings: toNumber(r.n),
        feedback: texts.get(id) ?? [],
      };
    });
  }

  /** Up to 5 feedback texts per generation (through the feedback index on related_generation_id). */
  private async feedbackTexts(generationIds: number[]): Promise<Map<number, string[]>> {
    const texts = new Map<number, string[]>();
    if (generationIds.length === 0) return texts;
    const q = this.sql();
    const rows = await this.query(
      q,
      `SELECT "related_generation_id" AS gid, "feedback_text" AS text FROM "feedback" WHERE "related_generation_id" IN (${generationIds.map((id) => q.param(id)).join(', ')}) ` +
        `AND "feedback_text" IS NOT NULL ORDER BY "feedback_id" DESC LIMIT ${q.param(generationIds.length * 5)}`,
    );
    for (const r of rows) {
      const list = texts.get(toNumber(r.gid)) ?? [];
      if (list.length < 5) list.push(String(r.text));
      texts.set(toNumber(r.gid), list);
    }
    return texts;
  }

  /** The learners who used the most tokens on the UTC days [fromDay, toDay] (YYYY-MM-DD). */
  async topLearnersByTokens(fromDay: string, toDay: string, limit: number): Promise<LearnerUsage[]> {
    const q = this.sql();
    const rows = await this.query(
      q,
      `SELECT "user_id" AS uid, SUM("tokens") AS t, SUM("llm_calls") AS c FROM "daily_usage" WHERE "day" >= ${q.param(fromDay)} AND "day" <= ${q.param(toDay)} ` +
        `GROUP BY "user_id" ORDER BY SUM("tokens") DESC, "user_id" ASC LIMIT ${q.param(limit)}`,
    );
    return rows.map((r) => ({ userId: toNumber(r.uid), tokens: toNumber(r.t), calls: toNumber(r.c) }));
  }

  /** Quota hits and per-minute rejections of these learners since `since` (the seed's (user_id, timestamp) index). */
  async rejectionsOf(userIds: number[], since: Date): Promise<Map<number, LearnerRejections>> {
    const result = new Map<number, LearnerRejections>();
    if (userIds.length === 0) return result;
    const q = this.sql();
    const error = q.jsonText('"response_metadata"', 'error');
    const rows = await this.query(
      q,
      `SELECT "user_id" AS uid, SUM(CASE WHEN ${error} = ${q.param(QUOTA_ERROR)} THEN 1 ELSE 0 END) AS quota, ` +
        `SUM(CASE WHEN ${error} = ${q.param(RATE_LIMIT_ERROR)} THEN 1 ELSE 0 END) AS rate ` +
        `FROM "activity_log" WHERE "user_id" IN (${userIds.map((id) => q.param(id)).join(', ')}) AND "timestamp" >= ${q.time(since)} AND "direction" = 'output' GROUP BY "user_id"`,
    );
    for (const r of rows) result.set(toNumber(r.uid), { quotaHits: toNumber(r.quota), rateLimited: toNumber(r.rate) });
    return result;
  }

  /** Generations refused by the daily quota or the per-minute limit since `since`, all learners. */
  async rejectionsSince(since: Date): Promise<LearnerRejections & { learners: number }> {
    const q = this.sql();
    const error = q.jsonText('"response_metadata"', 'error');
    const [row] = await this.query(
      q,
      `SELECT SUM(CASE WHEN ${error} = ${q.param(QUOTA_ERROR)} THEN 1 ELSE 0 END) AS quota, SUM(CASE WHEN ${error} = ${q.param(RATE_LIMIT_ERROR)} THEN 1 ELSE 0 END) AS rate, ` +
        `COUNT(DISTINCT CASE WHEN ${error} IN (${q.param(QUOTA_ERROR)}, ${q.param(RATE_LIMIT_ERROR)}) THEN "user_id" END) AS learners ` +
        `FROM "activity_log" WHERE "timestamp" >= ${q.time(since)} AND "direction" = 'output'`,
    );
    return { quotaHits: toNumber(row?.quota), rateLimited: toNumber(row?.rate), learners: toNumber(row?.learners) };
  }

  /**
   * One page of the activity log, newest first, keyset-paged on (timestamp, log_id). At most `scanLimit` entries
   * of the range are read per page: the type, language and text filters apply to those, so a rare text costs a
   * bounded read per page, and `next` continues after the last entry read.
   */
  async searchActivity(s: ActivitySearch): Promise<ActivityPage> {
    const q = this.sql();
    const range = [`"timestamp" >= ${q.time(s.from)}`, `"timestamp" < ${q.time(s.to)}`];
    if (s.userId !== undefined) range.push(`"user_id" = ${q.param(s.userId)}`);
    if (s.after) range.push(`("timestamp", "log_id") < (${q.time(s.after.timestamp)}, ${q.param(s.after.id)})`);
    const columns = '"log_id", "user_id", "timestamp", "content_type", "direction", "query_text", "target_language", "base_language", "response_metadata"';
    const scanned = (select: string, b: SqlBuilder) =>
      `(SELECT ${select} FROM "activity_log" WHERE ${range.join(' AND ')} ORDER BY "timestamp" DESC, "log_id" DESC LIMIT ${b.param(s.scanLimit)}) scanned`;
    // Placeholders in text order (SQLite binds ? by position). The outer LIMIT stops the read as soon as a
    // page of hits is found; the inner one bounds it when hits are rare.
    const rangeParams = [...q.params];
    let sql = `SELECT ${columns} FROM ${scanned(columns, q)}`;
    const filters = ['1 = 1'];
    if (s.contentType) filters.push(`"content_type" = ${q.param(s.contentType)}`);
    if (s.language) filters.push(`"target_language" = ${q.param(s.language)}`);
    if (s.text) filters.push(q.contains('"query_text"', s.text));
    sql += ` WHERE ${filters.join(' AND ')} ORDER BY "timestamp" DESC, "log_id" DESC LIMIT ${q.param(s.limit + 1)}`;
    const hits = (await this.query(q, sql)).map(toActivityRow);
    if (hits.length > s.limit) {
      const page = hits.slice(0, s.limit);
      const last = page.at(-1)!;
      return { rows: page, next: { timestamp: last.timestamp, id: last.id }, scanned: -1 };
    }
    // Fewer hits than a page: the range goes on only if the read stopped at its bound, at the scanLimit-th
    // entry, found through the (timestamp, log_id) index (or the seed's (user_id, timestamp) one).
    const b = this.sql();
    b.params.push(...rangeParams);
    const [edge] = await this.query(
      b,
      `SELECT "timestamp", "log_id" FROM "activity_log" WHERE ${range.join(' AND ')} ORDER BY "timestamp" DESC, "log_id" DESC LIMIT 1 OFFSET ${b.param(s.scanLimit - 1)}`,
    );
    if (!edge) return { rows: hits, scanned: -1 };
    return { rows: hits, next: { timestamp: timeFrom(edge.timestamp), id: String(edge.log_id) }, scanned: s.scanLimit };
  }

  /** Feedback given in [from, to) with its content's context, oldest first, at most `limit` rows. */
  async feedbackForExport(from: Date, to: Date, limit: number): Promise<FeedbackExportRow[]> {
    const q = this.sql();
    const rows = await this.query(
      q,
      'SELECT f."feedback_id" AS id, f."timestamp" AS ts, f."user_id" AS uid, f."rating" AS rating, f."feedback_text" AS text, f."related_generation_id" AS gid, ' +
        'g."content_type" AS ct, g."query_text" AS query, g."target_language" AS tl, g."base_language" AS bl, g."level" AS lv, g."prompt_version" AS pv, g."model" AS model ' +
        'FROM "feedback" f LEFT JOIN "generations" g ON g."id" = f."related_generation_id" ' +
        `WHERE f."timestamp" >= ${q.time(from)} AND f."timestamp" < ${q.time(to)} ORDER BY f."timestamp" ASC, f."feedback_id" ASC LIMIT ${q.param(limit)}`,
    );
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return rows.map((r) => ({
      feedbackId: toNumber(r.id),
      timestamp: timeFrom(r.ts),
      userId: toNumber(r.uid),
      rating: r.rating === null ? null : toNumber(r.rating),
      feedbackText: text(r.text),
      generationId: r.gid === null ? null : toNumber(r.gid),
      contentType: text(r.ct),
      queryText: text(r.query),
      targetLanguage: text(r.tl),
      baseLanguage: text(r.bl),
      level: text(r.lv),
      promptVersion: text(r.pv),
      model: text(r.model),
    }));
  }
}

function toActivityRow(r: Row): ActivityRow {
  return {
    id: String(r.log_id),
    userId: toNumber(r.user_id),
    timestamp: timeFrom(r.timestamp),
    contentType: String(r.content_type),
    direction: String(r.direction),
    queryText: String(r.query_text),
    targetLanguage: String(r.target_language),
    baseLanguage: r.base_language === null ? null : String(r.base_language),
    responseMetadata: typeof r.response_metadata === 'string' ? safeJson(r.response_metadata) : r.response_metadata,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
