import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { GetRecentChangesQuery, TrialLookupQuery } from '../../read-models/index.js';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { atomFeed } from './atom-feed.js';
import { SubscriptionFeed } from './subscription-feed.js';
import { UuidPipe } from '../../shared/uuid.pipe.js';

const ENTRIES = 100;

export class TrialFeedParams {
  @ApiPropertyOptional({ description: 'Only changes of at least this materiality', enum: MATERIALITY_TIERS })
  @IsOptional()
  @IsIn(MATERIALITY_TIERS as unknown as string[], {
    message: `minMateriality must be one of ${MATERIALITY_TIERS.join(', ')}`,
  })
  minMateriality?: MaterialityTier;
}

@ApiTags('feeds')
@Controller()
export class FeedsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly subscriptionFeed: SubscriptionFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('trials/:nctId/changes.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOperation({ summary: "A trial's changes as an Atom feed, newest first" })
  async trialFeed(@Param('nctId', NctIdPipe) nctId: string, @Query() params: TrialFeedParams): Promise<string> {
    await this.queryBus.execute(new TrialLookupQuery(nctId));
    const { changes } = await this.queryBus.execute(
      new GetRecentChangesQuery({ nctIds: [nctId], minMateriality: params.minMateriality, limit: ENTRIES }),
    );
    const base = this.config.publicBaseUrl;
    const title = changes[0]?.briefTitle;
    return atomFeed({
      id: `${base}/trials/${nctId}/changes.atom`,
      title: `${nctId}${title ? `: ${title}` : ''} — changes`,
      selfUrl: `${base}/trials/${nctId}/changes.atom`,
      alternateUrl: `${base}/trials/${nctId}/history`,
      baseUrl: base,
      entries: changes.map((change) => ({
        eventId: change.eventId,
        nctId: change.nctId,
        type: change.type,
        schemaVersion: change.schemaVersion,
        data: change.data,
        occurredAt: new Date(change.occurredAt),
        recordedAt: new Date(change.recordedAt),
        briefTitle: change.briefTitle,
      })),
    });
  }

  @Get('subscriptions/:id/feed.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOperation({ summary: 'The changes a subscription matches, as an Atom feed, newest first' })
  async feed(@Param('id', UuidPipe) id: string) {
    const { subscription, entries } = await this.subscriptionFeed.newest(id, ENTRIES);
    const base = this.config.publicBaseUrl;
    return atomFeed({
      id: `${base}/subscriptions/${id}/feed.atom`,
      title: `trialwatch: ${subscription.name ?? `subscription ${id}`}`,
      selfUrl: `${base}/subscriptions/${id}/feed.atom`,
      alternateUrl: `${base}/subscriptions/${id}`,
      baseUrl: base,
      entries,
    });
  }
}
