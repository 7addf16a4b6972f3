import { ErasureLog } from '@chronicle/analytics';
import { encodeErasureRequest, isUuidV7, uuidv7, type ErasureRequest } from '@chronicle/contracts';
import { ErasureStore } from '@chronicle/events-store';
import { RecordPublisher } from '@chronicle/kafka';
import { Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import { FieldError } from '../http/field-error';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblems, USER_ROUTE_PROBLEMS } from '../openapi/api-problems';
import { ErasureAccepted, ErasureStatus, type ErasureStores } from './erasure.schemas';

/** The right to erasure: a user deletes their own history, and follows the request to its end. */
@ApiTags('my activity')
@ApiBearerAuth('bearer')
@ApiProblems(USER_ROUTE_PROBLEMS)
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
  @ApiOperation({ summary: "Erase the caller's activity history (both stores)." })
  @ApiAcceptedResponse({ type: ErasureAccepted, description: 'Accepted: the workers carry it out.' })
  async erase(@CurrentUser() user: Principal): Promise<ErasureAccepted> {
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
  @ApiOperation({ summary: "An erasure's progress: pending until both stores have completed it." })
  @ApiParam({
    name: 'id',
    description: 'The `requestId` the DELETE returned.',
    schema: { type: 'string', format: 'uuid' },
    example: '0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70',
  })
  @ApiOkResponse({ type: ErasureStatus })
  @ApiProblems({ 404: "No such request of the caller's." })
  async status(@CurrentUser() user: Principal, @Param('id') id: string): Promise<ErasureStatus> {
    if (!isUuidV7(id)) throw new FieldError('id', 'must be the requestId the DELETE returned');
    const [postgres, clickhouse] = await Promise.all([
      this.postgres.status(id),
      this.clickhouse.completed(id),
    ]);
    if (postgres === undefined || postgres.userId !== user.id)
      throw new NotFoundException('no such erasure request');
    const stores: ErasureStores = {
      postgres: { status: postgres.status, rowsDeleted: postgres.rowsDeleted },
      clickhouse: clickhouse
        ? { status: 'completed', rowsDeleted: clickhouse.rowsDeleted }
        : { status: 'pending', rowsDeleted: null },
    };
    const done = stores.postgres.status === 'completed' && stores.clickhouse.status === 'completed';
    return { requestId: id, status: done ? 'completed' : 'pending', stores };
  }
}
