import { Module } from '@nestjs/common';
import { AssetsController } from './assets/assets.controller.js';
import { CompareVersionsController } from './compare-versions/compare-versions.controller.js';
import { UnknownPageController } from './error-page/unknown-page.controller.js';
import { HygieneReportController } from './hygiene-report/hygiene-report.controller.js';
import { OutcomeSwitchingReportController } from './outcome-switching-report/outcome-switching-report.controller.js';
import { RecentChangesController } from './recent-changes/recent-changes.controller.js';
import { RawSnapshotController } from './raw-snapshot/raw-snapshot.controller.js';
import { ResultsDueReportController } from './results-due-report/results-due-report.controller.js';
import { TrialDataController } from './trial-page/trial-data.controller.js';
import { TrialPageController } from './trial-page/trial-page.controller.js';
import { TrialSearchController } from './trial-search/trial-search.controller.js';
import { WatchlistDashboardController } from './watchlist-dashboard/watchlist-dashboard.controller.js';

/**
 * The web pages of the api: recent changes across trials, trial search, a page per trial, two records
 * of a trial compared, the reports and a dashboard per watchlist, server-rendered with inline SVG
 * charts. They ask the read models, ingestion and watchlists through their queries.
 */
@Module({
  controllers: [
    RecentChangesController,
    TrialSearchController,
    CompareVersionsController,
    TrialPageController,
    TrialDataController,
    ResultsDueReportController,
    HygieneReportController,
    OutcomeSwitchingReportController,
    WatchlistDashboardController,
    RawSnapshotController,
    AssetsController,
    // Last: every path under /ui that no page above serves.
    UnknownPageController,
  ],
})
export class WebModule {}
