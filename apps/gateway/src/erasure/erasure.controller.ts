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
   * Asks every store to delete the caller's activity up to now. 202 once Kafka has the request: the
   * workers carry it out, and the status route reports their progress.
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
    return {
      requestId: request.requestId,
      status: 'pending',
      statusUrl: `/api/users/me/activity/erasures/${request.requestId}`,
    };
  }

  /**
   * The request's progress in each store. Another user's request is a 404, like an unknown one that a
   * store has already seen; one no store has seen yet is pending (the workers have not read it).
   */
  @Get('erasures/:id')
  async status(@CurrentUser() user: Principal, @Param('id') id: string): Promise<ErasureStatusReply> {
    if (!isUuidV7(id)) throw new FieldError('id', 'must be the requestId the DELETE returned');
    const [postgres, clickhouse] = await Promise.all([
      this.postgres.status(id),
      this.clickhouse.completed(id),
    ]);
    if (postgres !== undefined && postgres.userId !== user.id)
      throw new NotFoundException('no such erasure request');
    const stores: ErasureStatusReply['stores'] = {
      postgres: postgres
        ? { status: postgres.status, rowsDeleted: postgres.rowsDeleted }
        : { status: 'pending', rowsDeleted: null },
      clickhouse: clickhouse
        ? { status: 'completed', rowsDeleted: clickhouse.rowsDeleted }
        : { status: 'pending', rowsDeleted: null },
    };
    const done = stores.postgres.status === 'completed' && stores.clickhouse.status === 'completed';
    return { requestId: id, status: done ? 'completed' : 'pending', stores };
  }
}
