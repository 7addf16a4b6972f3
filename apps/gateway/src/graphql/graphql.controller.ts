import { errorMessage, type Logger } from '@chronicle/observability';
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { getOperationAST } from 'graphql';
import { CurrentUser } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import { GATEWAY_LIMITS, LOGGER } from '../gateway.tokens';
import { callerKey } from '../http/rate-limit';
import type { GatewayLimits } from '../limits/gateway-limits';
import { FieldError } from '../http/field-error';
import { graphqlRoot, type GraphqlServices } from './activity-graphql.resolvers';
import { executeDocument, prepareDocument } from './graphql-execution';

export const GRAPHQL_SERVICES = Symbol('GRAPHQL_SERVICES');

interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/**
 * Queries over HTTP POST (GraphQL over HTTP, JSON); subscriptions go over graphql-ws on the same path.
 * Any user token reaches it; the admin fields check the role themselves.
 */
@Controller('graphql')
export class GraphqlController {
  private readonly root: ReturnType<typeof graphqlRoot>;

  constructor(
    @Inject(GRAPHQL_SERVICES) services: GraphqlServices,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GATEWAY_LIMITS) private readonly limits: GatewayLimits,
  ) {
    this.root = graphqlRoot(services);
  }

  @Post()
  @HttpCode(200)
  async query(
    @Body() body: GraphqlRequestBody,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (typeof body?.query !== 'string' || body.query.length === 0)
      throw new FieldError('query', 'must be a GraphQL document');
    if (body.variables !== undefined && body.variables !== null && typeof body.variables !== 'object')
      throw new FieldError('variables', 'must be an object');
    if (
      body.operationName !== undefined &&
      body.operationName !== null &&
      typeof body.operationName !== 'string'
    )
      throw new FieldError('operationName', 'must be a string');
    const prepared = prepareDocument(body.query);
    if ('errors' in prepared) {
      response.status(400);
      return { errors: prepared.errors };
    }
    const operationName = (body.operationName as string | null | undefined) ?? undefined;
    if (getOperationAST(prepared.document, operationName)?.operation === 'subscription') {
      response.status(400);
      return { errors: [{ message: 'subscriptions go over WebSocket (graphql-ws) at /graphql' }] };
    }
    const release = this.limits.graphqlOperations.acquire(callerKey(user));
    try {
      return await executeDocument(
        prepared.document,
        this.root,
        { user },
        (body.variables as Record<string, unknown> | null) ?? undefined,
        operationName,
        (error) => this.logger.error('graphql resolver failed', { error: errorMessage(error) }),
      );
    } finally {
      release();
    }
  }
}
