import { ErasureLog } from '@chronicle/analytics';
import { encodeErasureRequest, isUuidV7, uuidv7, type ErasureRequest } from '@chronicle/contracts';
import { ErasureStore } from '@chronicle/events-store';
import { RecordPublisher } from '@chronicle/kafka';
import { Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param } from '@nestjs/common';
import { CurrentUser } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import { FieldError } from '../http/field-error';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import type { GatewayConfig } from '../gateway.config';

export interface ErasureStatusReply {
  requestId: string;
  /** `completed` once both stores have carried it out. */
  status: 'pending' | 'completed';
  stores: {
    postgres: { status: 'pending' | 'completed'; rowsDeleted: number | null };
    clickhouse: { status: 'pending' | 'completed'; rowsDeleted: number | null };
  };
}

/** The right to erasure: a user deletes their own history, and follows the request to its end. */
@Controller('api/users/me/activity')
export class ErasureController {
  constructor(
    @Inject(RecordPublisher) private readonly publisher: RecordPublisher,
    @Inject(ErasureStore) private readonly postgres: ErasureStore,
    @Inject(ErasureLog) private readonly clickhouse: ErasureLog,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Asks every store to erase the caller's activity (erasureCovers in @chronicle/contracts). 202 once
   * Kafka has the request and Postgres has recorded whose it is: the workers carry it out, and the
   * status route reports their progress to the requester alone.
   */
  @Delete()
  @HttpCode(202)
  async erase(@CurrentUser() user: Principal) {
    const request: ErasureRequest = {
      requestId: uuidv7(),
      userId: user.id,
      requestedAt: new Date().toISOString(),
    };
    await this.publisher.send(this.config.topics.erasure, [
      { key: user.id, value: encodeErasureRequest(request) },
    ]);
    // After the send: a request recorded here is one the workers will carry out. Should this fail, the
    // ingest worker records it when it reads it, and the caller, answered 5xx, never had the id.
    await this.postgres.recordRequest(request);
    return {
      requestId: request.requestId,
      status: 'pending',
      statusUrl: `/api/users/me/activity/erasures/${request.requestId}`,
    };
  }

  /**
   * The request's progress in each store. Whose a request is comes from Postgres alone, where the
   * DELETE recorded it before answering: another user's request and an unknown one are the same 404,
   * whatever ClickHouse has done with it, at every moment.
   */
  @Get('erasures/:id')
  async status(@CurrentUser() user: Principal, @Param('id') id: string): Promise<ErasureStatusReply> {
    if (!isUuidV7(id)) throw new FieldError('id', 'must be the requestId the DELETE returned');
    const [postgres, clickhouse] = await Promise.all([
      this.postgres.status(id),
      this.clickhouse.completed(id),
    ]);
    if (postgres === undefined || postgres.userId !== user.id)
      throw new NotFoundException('no such erasure request');
    const stores: ErasureStatusReply['stores'] = {
      postgres: { status: postgres.status, rowsDeleted: postgres.rowsDeleted },
      clickhouse: clickhouse
        ? { status: 'completed', rowsDeleted: clickhouse.rowsDeleted }
        : { status: 'pending', rowsDeleted: null },
    };
    const done = stores.postgres.status === 'completed' && stores.clickhouse.status === 'completed';
    return { requestId: id, status: done ? 'completed' : 'pending', stores };
  }
}
