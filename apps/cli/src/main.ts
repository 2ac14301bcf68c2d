import { Command, CommanderError } from 'commander';
import { describeError } from '@app/domain';
import { exitCodeOf, StartFailedError } from './cli-error.js';
import { registerContentsCommand } from './commands/contents.command.js';
import { registerExportCommand } from './commands/export.command.js';
import { registerHistoryCommand } from './commands/history.command.js';
import { registerIngestCommand } from './commands/ingest.command.js';
import { registerIngestionsCommand } from './commands/ingestions.command.js';
import { registerMigrateCommand } from './commands/migrate.command.js';
import { registerParseCommand } from './commands/parse.command.js';
import { registerProjectionsCommand } from './commands/projections.command.js';
import { registerSignalsCommand } from './commands/signals.command.js';
import { registerSubscribeCommands } from './commands/subscribe.command.js';
import { registerWatchCommand } from './commands/watch.command.js';

const program = new Command('trialwatch')
  .description('Track what changed in clinical-trial registry records')
  .showHelpAfterError()
  .exitOverride();

registerParseCommand(program);
registerIngestCommand(program);
registerIngestionsCommand(program);
registerHistoryCommand(program);
registerProjectionsCommand(program);
registerSignalsCommand(program);
registerExportCommand(program);
registerWatchCommand(program);
registerSubscribeCommands(program);
registerContentsCommand(program);
registerMigrateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`trialwatch: ${describeError(error)}\n`);
    process.exitCode = exitCodeOf(error);
    if (error instanceof StartFailedError) process.exit();
  }
}
