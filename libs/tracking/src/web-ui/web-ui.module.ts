import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking.module.js';
import { AssetsController } from './assets/assets.controller.js';
import { GetRecentChangesHandler } from './recent-changes/get-recent-changes.handler.js';
import { RecentChangesController } from './recent-changes/recent-changes.controller.js';
import { RawSnapshotController } from './raw-snapshot/raw-snapshot.controller.js';
import { TrialPageController } from './trial-page/trial-page.controller.js';

const QueryHandlers = [GetRecentChangesHandler];

/** The web pages of the api: recent changes across trials and a page per trial, server-rendered with inline SVG charts. */
@Module({
  imports: [TrackingModule],
  controllers: [RecentChangesController, TrialPageController, RawSnapshotController, AssetsController],
  providers: [...QueryHandlers],
})
export class WebUiModule {}
