import { Module } from '@nestjs/common';
import { AssetsController } from './assets/assets.controller.js';
import { RecentChangesController } from './recent-changes/recent-changes.controller.js';
import { RawSnapshotController } from './raw-snapshot/raw-snapshot.controller.js';
import { TrialPageController } from './trial-page/trial-page.controller.js';

/**
 * The web pages of the api: recent changes across trials and a page per trial, server-rendered with
 * inline SVG charts. They ask the read models and ingestion through their queries.
 */
@Module({
  controllers: [RecentChangesController, TrialPageController, RawSnapshotController, AssetsController],
})
export class WebModule {}
