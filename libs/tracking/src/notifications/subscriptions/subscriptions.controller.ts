import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query as QueryParam,
  Req,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  PartialType,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { Request } from 'express';
import { apiKeyOf, redactUrl } from '@app/infrastructure';
import {
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { CreateSubscriptionCommand } from './create-subscription.command.js';
import { DeleteSubscriptionCommand } from './delete-subscription.command.js';
import { EnableSubscriptionCommand } from './enable-subscription.command.js';
import { GetDeliveryLogQuery } from './get-delivery-log.query.js';
import { GetSubscriptionQuery } from './get-subscription.query.js';
import { ListSubscriptionsQuery } from './list-subscriptions.query.js';
import { RecoverSubscriptionCommand } from './recover-subscription.command.js';
import { RedeliverCommand } from './redeliver.command.js';
import { RotateSubscriptionSecretCommand } from './rotate-subscription-secret.command.js';
import { UpdateSubscriptionCommand } from './update-subscription.command.js';
import type { Subscription } from './subscription.js';
import { webhookCallback, WebhookPayloadSchema } from './webhook-payload.schema.js';
import { UuidPipe } from '../../shared/uuid.pipe.js';

/**
 * Receivers put their token in their URL's path or query string: callers with a read key see only the
 * URL's scheme, host and port; admins, who manage subscriptions, see it whole.
 */
const asSeenBy = <T extends Subscription>(request: Request, subscription: T): T =>
  apiKeyOf(request)?.scope === 'read' ? { ...subscription, url: redactUrl(subscription.url) } : subscription;

export class FilterBody {
  @ApiPropertyOptional({ example: ['NCT04811651'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  nctIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  watchlistIds?: string[];

  @ApiPropertyOptional({ example: ['trial.overall-status-changed'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ example: ['stroke'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  conditions?: string[];

  @ApiPropertyOptional({ example: ['Regeneron'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  leadSponsors?: string[];

  @ApiPropertyOptional({ example: ['PHASE3'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  phases?: string[];

  @ApiPropertyOptional({ enum: MATERIALITY_TIERS, example: 'high' })
  @IsOptional()
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `filter.minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}

export class CreateSubscriptionBody {
  @ApiProperty({
    example: 'https://example.org/hooks/trialwatch',
    description: 'https; private addresses only if allow-listed',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: FilterBody })
  @IsOptional()
  // A list would pass as an empty filter, which matches every change.
  @IsObject({ message: 'filter must be an object such as {"conditions": ["diabetes"]}' })
  @ValidateNested()
  @Type(() => FilterBody)
  filter?: FilterBody;
}

export class UpdateSubscriptionBody extends PartialType(CreateSubscriptionBody) {}

export class DeliveryLogParams {
  @ApiPropertyOptional({ description: 'How many per page', minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only the attempts of this event' })
  @IsOptional()
  @IsUUID()
  eventId?: string;
}

@ApiTags('subscriptions')
@ApiExtraModels(WebhookPayloadSchema)
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a webhook to changes; the answer holds the signing secret, shown this once',
    callbacks: webhookCallback,
  })
  create(@Body() body: CreateSubscriptionBody) {
    return this.commandBus.execute(new CreateSubscriptionCommand(body));
  }

  @Get()
  async list(@Req() request: Request) {
    const subscriptions = await this.queryBus.execute(new ListSubscriptionsQuery());
    return subscriptions.map((subscription) => asSeenBy(request, subscription));
  }

  @Get(':id')
  async get(@Req() request: Request, @Param('id', UuidPipe) id: string) {
    return asSeenBy(request, await this.queryBus.execute(new GetSubscriptionQuery(id)));
  }

  @Patch(':id')
  update(@Param('id', UuidPipe) id: string, @Body() body: UpdateSubscriptionBody) {
    return this.commandBus.execute(new UpdateSubscriptionCommand(id, body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.commandBus.execute(new DeleteSubscriptionCommand(id));
  }

  @Post(':id/rotate-secret')
  @ApiOperation({ summary: 'A new signing secret (shown once); the previous one also signs for 24 hours' })
  rotate(@Param('id', UuidPipe) id: string) {
    return this.commandBus.execute(new RotateSubscriptionSecretCommand(id));
  }

  @Post(':id/enable')
  @ApiOperation({
    summary:
      'Re-enable a disabled subscription; it receives what it missed, each pending delivery with a fresh retry schedule. ' +
      'Abandoned deliveries stay abandoned: recover them with POST /subscriptions/{id}/recover',
  })
  enable(@Param('id', UuidPipe) id: string) {
    return this.commandBus.execute(new EnableSubscriptionCommand(id));
  }

  @Post(':id/recover')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Re-queue the deliveries abandoned at or after `since`, each with a fresh retry schedule, and re-enable the subscription',
  })
  @ApiQuery({ name: 'since', required: true, example: '2026-01-15T10:00:00Z', description: 'ISO 8601 date or time' })
  recover(@Param('id', UuidPipe) id: string, @QueryParam('since') since?: string) {
    return this.commandBus.execute(new RecoverSubscriptionCommand(id, since));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log: each attempt with its status code, latency and error, newest first' })
  deliveries(@Param('id', UuidPipe) id: string, @QueryParam() params: DeliveryLogParams) {
    return this.queryBus.execute(new GetDeliveryLogQuery(id, params.limit ?? 100, params.eventId));
  }

  @Post(':id/deliveries/:eventId/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Deliver an event to this subscription again, now, with a fresh retry schedule' })
  redeliver(@Param('id', UuidPipe) id: string, @Param('eventId', UuidPipe) eventId: string) {
    return this.commandBus.execute(new RedeliverCommand(id, eventId));
  }
}
