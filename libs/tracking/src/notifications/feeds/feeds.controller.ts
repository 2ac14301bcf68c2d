import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/infrastructure';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { atomFeed } from './atom-feed.js';
import { FEED_ENTRIES, FeedPageParams, feedPageUrl, trialChangesFeed, TrialFeedParams } from './trial-feed.js';
import { SubscriptionFeed } from './subscription-feed.js';
import { UuidPipe } from '../../shared/uuid.pipe.js';

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
  trialFeed(@Param('nctId', NctIdPipe) nctId: string, @Query() params: TrialFeedParams): Promise<string> {
    return trialChangesFeed(this.queryBus, nctId, params, this.config.publicBaseUrl);
  }

  @Get('subscriptions/:id/feed.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOperation({ summary: 'The changes a subscription matches, as an Atom feed, newest first' })
  async feed(@Param('id', UuidPipe) id: string, @Query() params: FeedPageParams) {
    const { subscription, entries, olderCursor } = await this.subscriptionFeed.newest(
      id,
      params.limit ?? FEED_ENTRIES,
      params.before,
    );
    const base = this.config.publicBaseUrl;
    const url = `${base}/subscriptions/${id}/feed.atom`;
    return atomFeed({
      id: url,
      title: `trialwatch: ${subscription.name ?? `subscription ${id}`}`,
      selfUrl: feedPageUrl(url, { limit: params.limit, before: params.before }),
      nextUrl: olderCursor ? feedPageUrl(url, { limit: params.limit, before: olderCursor }) : undefined,
      alternateUrl: `${base}/subscriptions/${id}`,
      baseUrl: base,
      entries,
      // Disabled, it matches nothing new: a reader of the feed alone would otherwise see it fall quiet.
      notice:
        subscription.status === 'disabled' && !params.before
          ? {
              id: `urn:trialwatch:subscription:${id}:disabled:${subscription.disabledAt ?? ''}`,
              title: 'Subscription disabled: it matches no new change until it is enabled again',
              summary:
                `Disabled ${subscription.disabledAt ?? ''}: ${subscription.disabledReason ?? 'no reason recorded'}. ` +
                `The changes made meanwhile are matched once it is enabled again (POST ${base}/subscriptions/${id}/enable, ` +
                `or ${base}/subscriptions/${id}/recover?since=… to send abandoned deliveries again too).`,
              at: subscription.disabledAt ? new Date(subscription.disabledAt) : new Date(subscription.updatedAt),
              link: `${base}/subscriptions/${id}`,
            }
          : undefined,
    });
  }
}
