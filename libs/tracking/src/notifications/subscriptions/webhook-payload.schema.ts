import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** The OpenAPI description of a webhook's body (what `webhookPayload` writes). */
export class WebhookChangeSchema {
  @ApiProperty({ example: 'overallStatus' })
  field!: string;

  @ApiProperty({ example: 'RECRUITING', nullable: true })
  from!: unknown;

  @ApiProperty({ example: 'COMPLETED', nullable: true })
  to!: unknown;
}

export class WebhookDataSchema {
  @ApiProperty({
    example: 17,
    description:
      "The delivery's number in its subscription: 1, 2, 3… without gaps, assigned when a matching event becomes a " +
      'delivery. Webhooks may arrive out of order or more than once; a number still missing is a delivery that is ' +
      'retrying or was abandoned (an abandoned delivery disables the subscription; POST /subscriptions/{id}/recover sends it).',
  })
  sequence!: number;

  @ApiProperty({
    format: 'uuid',
    description: 'The webhook-id header is `<eventId>.<subscription id>`: the same on every retry',
  })
  eventId!: string;

  @ApiProperty({ example: 'NCT04811651' })
  nctId!: string;

  @ApiProperty({ example: 'trial.overall-status-changed' })
  eventType!: string;

  @ApiProperty({ example: 1 })
  schemaVersion!: number;

  @ApiProperty({ example: 3 })
  streamVersion!: number;

  @ApiProperty({ example: '42' })
  globalPosition!: string;

  @ApiProperty({ example: '1001.42', description: 'The event’s place in the change feed' })
  cursor!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiPropertyOptional({ type: [WebhookChangeSchema], description: 'Left out when the event is too large' })
  changes?: WebhookChangeSchema[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Left out when too large' })
  event?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'True when the event was too large and its data was left out' })
  truncated?: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'trial, history, statusHistory, events',
  })
  links!: Record<string, string>;
}

export class WebhookPayloadSchema {
  @ApiProperty({ example: 'trial.overall-status-changed' })
  type!: string;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ type: WebhookDataSchema })
  data!: WebhookDataSchema;
}

/** The webhook a subscription receives, as an OpenAPI callback of `POST /subscriptions`. */
export const webhookCallback = {
  change: {
    '{$request.body#/url}': {
      post: {
        summary:
          'One matching change, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature headers)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: getSchemaPath(WebhookPayloadSchema) } } },
        },
        responses: {
          '2XX': { description: 'Delivered' },
          '410': { description: 'Gone: the subscription is disabled at once' },
          '429': {
            description:
              'Throttled (also 502, 503, 504): retried on the schedule, later if Retry-After asks, up to its longest wait',
          },
          default: {
            description: 'Failed: retried on the schedule; after the last retry the subscription is disabled',
          },
        },
      },
    },
  },
};
