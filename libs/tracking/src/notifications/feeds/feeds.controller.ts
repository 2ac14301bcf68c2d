import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig, Clock, Database } from '@app/infrastructure';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { TrialLookup } from '../../shared/trial-lookup.js';
import { SubscriptionStore } from '../subscriptions/subscription-store.js';
import { atomFeed, type FeedEntry } from './atom-feed.js';

const ENTRIES = 100;

interface Row {
  event_id: string;
  nct_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  occurred_at: Date;
  recorded_at: Date;
  brief_title: string | null;
}

const toEntry = (row: Row): FeedEntry => ({
  eventId: row.event_id,
  nctId: row.nct_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  occurredAt: row.occurred_at,
  recordedAt: row.recorded_at,
  briefTitle: row.brief_title,
});

@ApiTags('feeds')
@Controller()
export class FeedsController {
  constructor(
    private readonly database: Database,
    private readonly lookup: TrialLookup,
    private readonly subscriptions: SubscriptionStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('trials/:nctId/changes.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOperation({ summary: "A trial's changes as an Atom feed, newest first" })
  async trialFeed(@Param('nctId', NctIdPipe) nctId: string): Promise<string> {
    await this.lookup.assertKnown(nctId);
    const rows = await this.database.query<Row>(
      `SELECT f.event_id, f.nct_id, f.type, f.schema_version, e.data, f.occurred_at, f.recorded_at, t.brief_title
       FROM change_feed f JOIN events e ON e.event_id = f.event_id LEFT JOIN trial_current_state t ON t.nct_id = f.nct_id
       WHERE f.nct_id = $1 ORDER BY f.transaction_id DESC, f.global_position DESC LIMIT $2`,
      [nctId, ENTRIES],
    );
    const base = this.config.publicBaseUrl;
    return atomFeed({
      id: `${base}/trials/${nctId}/changes.atom`,
      title: `${nctId}${rows[0]?.brief_title ? `: ${rows[0].brief_title}` : ''} — changes`,
      selfUrl: `${base}/trials/${nctId}/changes.atom`,
      alternateUrl: `${base}/trials/${nctId}/history`,
      baseUrl: base,
      entries: rows.map(toEntry),
    });
  }

  @Get('subscriptions/:id/feed.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOperation({ summary: 'The changes a subscription matches, as an Atom feed, newest first' })
  async subscriptionFeed(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST })) id: string,
  ): Promise<string> {
    const subscription = await this.subscriptions.get(id, this.clock.now());
    const rows = await this.database.query<Row>(
      `SELECT e.event_id, d.nct_id, e.type, e.schema_version, e.data, e.occurred_at, e.recorded_at, t.brief_title
       FROM deliveries d JOIN events e ON e.event_id = d.event_id LEFT JOIN trial_current_state t ON t.nct_id = d.nct_id
       WHERE d.subscription_id = $1 ORDER BY d.transaction_id DESC, d.global_position DESC LIMIT $2`,
      [id, ENTRIES],
    );
    const base = this.config.publicBaseUrl;
    return atomFeed({
      id: `${base}/subscriptions/${id}/feed.atom`,
      title: `trialwatch: ${subscription.name ?? `subscription ${id}`}`,
      selfUrl: `${base}/subscriptions/${id}/feed.atom`,
      alternateUrl: `${base}/subscriptions/${id}`,
      baseUrl: base,
      entries: rows.map(toEntry),
    });
  }
}
