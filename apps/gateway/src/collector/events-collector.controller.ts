import {
  admitActivityEvent,
  canonicalSource,
  encodeBinary,
  toCanonicalEvent,
  validateActivityEvent,
  type ValidationProblem,
} from '@chronicle/contracts';
import { RecordPublisher } from '@chronicle/kafka';
import { errorMessage, type Logger } from '@chronicle/observability';
import { Body, Controller, HttpCode, Inject, Post, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyAccess, type AuthenticatedRequest } from '../auth/access.decorators';
import type { GatewayConfig } from '../gateway.config';
import { GatewayMetrics } from '../gateway.metrics';
import { GATEWAY_CONFIG, LOGGER } from '../gateway.tokens';
import { FieldError } from '../http/field-error';
import { ApiProblems } from '../openapi/api-problems';
import { CollectReply, CollectRequest, MAX_COLLECTED_EVENTS } from './collector.schemas';

/** One event's outcome, more precisely typed than the document's CollectedEventResult. */
type EventOutcome =
  | { index: number; id: string; status: 'accepted' }
  | { index: number; id: string | null; status: 'rejected'; problems: ValidationProblem[] };

/**
 * The HTTP collector, for clients that cannot speak Kafka: `{ "events": [CloudEvent, …] }` under an
 * API key that names the source they publish as. Each event is validated on its own; the valid ones
 * are published, and the reply comes only once Kafka has acknowledged them (idempotent producer,
 * acks from all in-sync replicas), so a 200 means "stored in the log". A 503 means none was
 * acknowledged: retrying the whole batch is safe, the ids make a repeat a no-op downstream.
 */
@ApiKeyAccess()
@ApiTags('collector')
@ApiSecurity('apiKey')
@Controller('v1/events')
export class EventsCollectorController {
  constructor(
    @Inject(RecordPublisher) private readonly publisher: RecordPublisher,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish up to 1,000 CloudEvents; 200 once Kafka has acknowledged the valid ones.',
    description:
      "Each event is validated on its own; an event whose `source` is not the API key's is rejected. " +
      'A 503 means none was acknowledged: retrying the whole batch is safe, the ids make a repeat a no-op.',
  })
  @ApiBody({ type: CollectRequest, required: true })
  @ApiOkResponse({ type: CollectReply })
  @ApiProblems({
    400: 'The body is not `{ events: [...] }` of 1 to 1,000 events.',
    401: 'The API key is missing or unknown.',
    413: 'The body is larger than the limit.',
    429: 'Too many requests for this API key; retry after the `Retry-After` seconds.',
    503: 'Kafka did not acknowledge; retry the batch (ids make it idempotent).',
  })
  async collect(@Body() body: unknown, @Req() request: AuthenticatedRequest): Promise<CollectReply> {
    const events = eventsOf(body);
    const source = request.apiKeySource as string;
    const results: EventOutcome[] = [];
    const messages: ReturnType<typeof encodeBinary>[] = [];
    const nowMs = Date.now();
    events.forEach((input, index) => {
      const validation = validateActivityEvent(input);
      const id = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : null;
      const admission = validation.ok
        ? admitActivityEvent(validation.event, nowMs, this.config.admission)
        : undefined;
      if (!validation.ok) {
        results.push({ index, id, status: 'rejected', problems: validation.problems });
      } else if (admission !== undefined && !admission.admitted) {
        // Accepted means stored: an event the ingest worker would drop or dead-letter is refused here.
        results.push({ index, id, status: 'rejected', problems: [admission.problem] });
      } else if (canonicalSource(validation.event.source) !== canonicalSource(source)) {
        results.push({
          index,
          id,
          status: 'rejected',
          problems: [{ path: 'source', message: `must be ${source}, the source of this API key` }],
        });
      } else {
        // Published in the canonical form, the one every consumer compares and stores.
        const event = toCanonicalEvent(validation.event);
        results.push({ index, id: event.id, status: 'accepted' });
        messages.push(encodeBinary(event));
      }
    });
    try {
      await this.publisher.send(this.config.topics.events, messages);
    } catch (error) {
      this.logger.error('collected events not published', {
        events: messages.length,
        error: errorMessage(error),
      });
      throw new ServiceUnavailableException('Kafka did not acknowledge the events; retry the batch');
    }
    const rejected = results.length - messages.length;
    this.metrics.countCollected({ accepted: messages.length, rejected });
    return { accepted: messages.length, rejected, results };
  }
}

function eventsOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new FieldError('body', 'must be a JSON object: { "events": [CloudEvent, …] }');
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) throw new FieldError('events', 'must be an array of CloudEvents');
  if (events.length === 0) throw new FieldError('events', 'must hold at least one event');
  if (events.length > MAX_COLLECTED_EVENTS)
    throw new FieldError('events', `takes at most ${MAX_COLLECTED_EVENTS} events per request`);
  return events;
}
