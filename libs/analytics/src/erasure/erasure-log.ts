import type { ErasureRequest } from '@chronicle/contracts';
import { toClickHouseTime } from '../rows/analytics-row.mapper';
import type { ClickHouseClient } from '@clickhouse/client';

/**
 * The `erasures` table: which pseudonyms asked to be forgotten, and when. The batch handler reads it
 * to leave out late events of an erased actor; the erasure handler writes it, first as under way and
 * then as completed.
 */
export class ErasureLog {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  /** Latest request time (ms) per erased actor key. Small: one row per erasure over the retention period. */
  async erasedUntil(): Promise<Map<string, number>> {
    const result = await this.client.query({
      query: `SELECT actor_key, toUnixTimestamp64Milli(max(requested_at)) AS until
                FROM {db:Identifier}.erasures GROUP BY actor_key`,
      query_params: { db: this.database },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ actor_key: string; until: string | number }>();
    return new Map(rows.map((row) => [row.actor_key, Number(row.until)]));
  }

  async record(actorKey: string, request: ErasureRequest, completion?: { rowsDeleted: number; at: Date }) {
    await this.client.insert({
      table: `${this.database}.erasures`,
      format: 'JSONEachRow',
      values: [
        {
          actor_key: actorKey,
          request_id: request.requestId,
          requested_at: toClickHouseTime(Date.parse(request.requestedAt)),
          completed_at: toClickHouseTime(completion?.at ?? 0),
          rows_deleted: completion?.rowsDeleted ?? 0,
        },
      ],
    });
  }

  /** The completion of a request already carried out here, or undefined. */
  async completed(requestId: string): Promise<{ rowsDeleted: number } | undefined> {
    const result = await this.client.query({
      query: `SELECT rows_deleted FROM {db:Identifier}.erasures FINAL
               WHERE request_id = {id:UUID} AND completed_at > toDateTime64(0, 3, 'UTC')`,
      query_params: { db: this.database, id: requestId },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ rows_deleted: string | number }>();
    return row ? { rowsDeleted: Number(row.rows_deleted) } : undefined;
  }
}
