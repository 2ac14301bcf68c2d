import { Module } from '@nestjs/common';
import { CatchUpProjectionsHandler } from './catch-up-projections/catch-up-projections.handler.js';
import { GetChangeFeedController } from './get-change-feed/get-change-feed.controller.js';
import { GetChangeFeedHandler } from './get-change-feed/get-change-feed.handler.js';
import { ExportChangesController } from './get-change-feed/export-changes.controller.js';
import { GetChangeFeedEndHandler } from './get-change-feed-end/get-change-feed-end.handler.js';
import { CheckChangeFeedCursorHandler } from './get-change-feed-end/check-change-feed-cursor.handler.js';
import { GetFieldHistoryController } from './get-field-history/get-field-history.controller.js';
import { GetFieldHistoryHandler } from './get-field-history/get-field-history.handler.js';
import { GetProjectionStatusHandler } from './get-projection-status/get-projection-status.handler.js';
import { GetRecentChangesHandler } from './get-recent-changes/get-recent-changes.handler.js';
import { GetLastMaterialChangesHandler } from './get-last-material-changes/get-last-material-changes.handler.js';
import { GetStatusHistoryController } from './get-status-history/get-status-history.controller.js';
import { GetStatusHistoryHandler } from './get-status-history/get-status-history.handler.js';
import { GetTrialController } from './get-trial/get-trial.controller.js';
import { GetTrialHandler } from './get-trial/get-trial.handler.js';
import { GetBaselineController } from './get-baseline/get-baseline.controller.js';
import { GetTrialSignalsController } from './get-trial-signals/get-trial-signals.controller.js';
import { GetTrialSignalsHandler } from './get-trial-signals/get-trial-signals.handler.js';
import { GetSignalInputsHandler } from './get-signal-inputs/get-signal-inputs.handler.js';
import { GetBaselineHandler } from './get-baseline/get-baseline.handler.js';
import { ExportStatusHistoryController } from './export-status-history/export-status-history.controller.js';
import { ListStatusPeriodsHandler } from './export-status-history/list-status-periods.handler.js';
import { GetHygieneReportController } from './get-hygiene-report/get-hygiene-report.controller.js';
import { GetHygieneReportHandler } from './get-hygiene-report/get-hygiene-report.handler.js';
import { GetOutcomeSwitchingReportController } from './get-outcome-switching-report/get-outcome-switching-report.controller.js';
import { GetOutcomeSwitchingReportHandler } from './get-outcome-switching-report/get-outcome-switching-report.handler.js';
import { GetResultsDueReportController } from './get-results-due-report/get-results-due-report.controller.js';
import { GetResultsDueReportHandler } from './get-results-due-report/get-results-due-report.handler.js';
import { GetTrialEventsController } from './get-trial-events/get-trial-events.controller.js';
import { GetTrialEventsHandler } from './get-trial-events/get-trial-events.handler.js';
import { GetTrialTitlesHandler } from './get-trial-titles/get-trial-titles.handler.js';
import { TrialLookup } from './lookup-trial/trial-lookup.js';
import { TrialLookupHandler } from './lookup-trial/trial-lookup.handler.js';
import { ChangeFeedProjection } from './projections/change-feed.projection.js';
import { CurrentStateProjection } from './projections/current-state.projection.js';
import { FieldHistoryProjection } from './projections/field-history.projection.js';
import { ProjectionRebuilder } from './projections/projection-rebuilder.js';
import { ProjectionRegistry } from './projections/projection-registry.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { ProjectionWakeUps } from './projections/projection-wake-ups.js';
import { ProjectionsProcessor } from './projections/projections.processor.js';
import { StatusHistoryProjection } from './projections/status-history.projection.js';
import { OutcomeSwitchesProjection } from './projections/outcome-switches.projection.js';
import { OutcomeSwitchesRepository } from './repositories/outcome-switches.repository.js';
import { RebuildProjectionHandler } from './rebuild-projection/rebuild-projection.handler.js';
import { ChangeFeedRepository } from './repositories/change-feed.repository.js';
import { CurrentStateRepository } from './repositories/current-state.repository.js';
import { FieldHistoryRepository } from './repositories/field-history.repository.js';
import { StatusPeriodsRepository } from './repositories/status-periods.repository.js';
import { SearchTrialsController } from './search-trials/search-trials.controller.js';
import { SearchTrialsHandler } from './search-trials/search-trials.handler.js';

const CommandHandlers = [RebuildProjectionHandler, CatchUpProjectionsHandler];
const QueryHandlers = [
  GetTrialHandler,
  GetTrialEventsHandler,
  GetBaselineHandler,
  GetTrialSignalsHandler,
  GetSignalInputsHandler,
  GetResultsDueReportHandler,
  GetHygieneReportHandler,
  GetOutcomeSwitchingReportHandler,
  ListStatusPeriodsHandler,
  GetTrialTitlesHandler,
  GetStatusHistoryHandler,
  GetFieldHistoryHandler,
  GetChangeFeedHandler,
  GetChangeFeedEndHandler,
  CheckChangeFeedCursorHandler,
  GetRecentChangesHandler,
  GetLastMaterialChangesHandler,
  SearchTrialsHandler,
  GetProjectionStatusHandler,
  TrialLookupHandler,
];
const Repositories = [
  CurrentStateRepository,
  ChangeFeedRepository,
  FieldHistoryRepository,
  StatusPeriodsRepository,
  OutcomeSwitchesRepository,
];
const Projections = [
  CurrentStateProjection,
  FieldHistoryProjection,
  StatusHistoryProjection,
  ChangeFeedProjection,
  OutcomeSwitchesProjection,
  ProjectionRegistry,
  ProjectionRunner,
  ProjectionRebuilder,
  ProjectionWakeUps,
];

/**
 * Read models and queries: the projections that derive current state, field and status history and the
 * change feed from the event store, and the queries that read them. Other contexts use its commands and
 * queries only.
 */
@Module({
  providers: [...CommandHandlers, ...QueryHandlers, ...Repositories, ...Projections, TrialLookup],
  // For this context's HTTP and worker modules only; other contexts use the commands and queries.
  exports: [ProjectionRegistry, ProjectionRunner],
})
export class ReadModelsModule {}

/** The queries over HTTP (the api). */
@Module({
  imports: [ReadModelsModule],
  controllers: [
    SearchTrialsController,
    GetTrialController,
    GetStatusHistoryController,
    GetFieldHistoryController,
    GetTrialEventsController,
    GetBaselineController,
    GetTrialSignalsController,
    GetChangeFeedController,
    GetResultsDueReportController,
    GetHygieneReportController,
    GetOutcomeSwitchingReportController,
    ExportStatusHistoryController,
    ExportChangesController,
  ],
})
export class ReadModelsHttpModule {}

/** The projection runners (the worker). */
@Module({ imports: [ReadModelsModule], providers: [ProjectionsProcessor] })
export class ReadModelsWorkerModule {}
