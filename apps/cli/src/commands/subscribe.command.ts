import type { Command } from 'commander';
import { isInstant, isMaterialityTier, MATERIALITY_TIERS, type MaterialityTier } from '@app/domain';
import type {
  DeliveryLog,
  RecoveredSubscription,
  Subscription,
  SubscriptionWithSecret,
} from '@app/tracking/notifications';
import { CliError } from '../cli-error.js';
import { listOption } from '../list-option.js';
import { idArgument } from '../id-argument.js';
import { renderTable } from '../render-table.js';

const printSecret = (subscription: SubscriptionWithSecret, asJson: boolean | undefined): void => {
  process.stdout.write(
    asJson
      ? `${JSON.stringify(subscription, null, 2)}\n`
      : `subscription ${subscription.id} -> ${subscription.url}\n` +
          `signing secret (shown only now; verify webhook-signature with it): ${subscription.secret}\n`,
  );
};

const describeFilter = (subscription: Subscription): string =>
  Object.entries(subscription.filter)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : String(value)}`)
    .join(' ') || 'everything';

export const registerSubscribeCommands = (program: Command): void => {
  program
    .command('subscribe')
    .description('Subscribe a webhook URL to changes (every filter given must match)')
    .requiredOption('--url <url>', 'the receiver (https, unless its host is in OUTBOUND_ALLOWED_HOSTS)')
    .option('--name <name>', 'a name for it')
    .option('--nct-id <ids>', 'only these trials (repeatable, comma-separated)', listOption('--nct-id'), [])
    .option('--watchlist <ids>', 'only trials of these watchlists', listOption('--watchlist'), [])
    .option('--type <types>', 'only these event types, e.g. trial.overall-status-changed', listOption('--type'), [])
    .option(
      '--condition <terms>',
      'only trials with a condition containing one of these',
      listOption('--condition'),
      [],
    )
    .option('--sponsor <names>', 'only trials whose lead sponsor contains one of these', listOption('--sponsor'), [])
    .option(
      '--phase <phases>',
      'only trials with one of these phases (PHASE1 ... PHASE4, EARLY_PHASE1, NA)',
      listOption('--phase'),
      [],
    )
    .option('--min-materiality <tier>', `only changes graded at least this material (${MATERIALITY_TIERS.join(', ')})`)
    .option('--json', 'print JSON')
    .action(
      async (options: {
        url: string;
        minMateriality?: string;
        name?: string;
        nctId: string[];
        watchlist: string[];
        type: string[];
        condition: string[];
        sponsor: string[];
        phase: string[];
        json?: boolean;
      }) => {
        if (options.minMateriality !== undefined && !isMaterialityTier(options.minMateriality))
          throw new CliError(`--min-materiality must be one of ${MATERIALITY_TIERS.join(', ')}`, 2);
        const { withContext, CommandBus, CreateSubscriptionCommand } = await import('../cli-context.js');
        const subscription: SubscriptionWithSecret = await withContext((context) =>
          context.get(CommandBus).execute(
            new CreateSubscriptionCommand({
              url: options.url,
              name: options.name ?? null,
              filter: {
                nctIds: options.nctId,
                watchlistIds: options.watchlist,
                eventTypes: options.type,
                conditions: options.condition,
                leadSponsors: options.sponsor,
                phases: options.phase,
                ...(options.minMateriality !== undefined && {
                  minMateriality: options.minMateriality as MaterialityTier,
                }),
              },
            }),
          ),
        );
        printSecret(subscription, options.json);
      },
    );

  const subscriptions = program.command('subscriptions').description('Manage webhook subscriptions');

  subscriptions
    .command('list')
    .description('List the subscriptions: id, name, receiver, filter and whether they are active')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { withContext, QueryBus, ListSubscriptionsQuery } = await import('../cli-context.js');
      const list: Subscription[] = await withContext((context) =>
        context.get(QueryBus).execute(new ListSubscriptionsQuery()),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(list, null, 2)}\n`
          : `${renderTable(
              ['ID', 'NAME', 'URL', 'FILTER', 'STATUS'],
              list.map((s) => [
                s.id,
                s.name ?? '',
                s.url,
                describeFilter(s),
                s.status === 'active' ? 'active' : `disabled: ${s.disabledReason ?? ''}`,
              ]),
            )}\n`,
      );
    });

  subscriptions
    .command('remove')
    .description('Delete a subscription; nothing more is sent to it')
    .argument('<id>', 'the subscription id', idArgument('a subscription id'))
    .action(async (id: string) => {
      const { withContext, CommandBus, DeleteSubscriptionCommand } = await import('../cli-context.js');
      await withContext((context) => context.get(CommandBus).execute(new DeleteSubscriptionCommand(id)));
      process.stdout.write(`removed subscription ${id}\n`);
    });

  subscriptions
    .command('rotate-secret')
    .description('Issue a new signing secret; the old one keeps signing for 24 hours')
    .argument('<id>', 'the subscription id', idArgument('a subscription id'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { withContext, CommandBus, RotateSubscriptionSecretCommand } = await import('../cli-context.js');
      printSecret(
        await withContext((context) => context.get(CommandBus).execute(new RotateSubscriptionSecretCommand(id))),
        options.json,
      );
    });

  subscriptions
    .command('enable')
    .description('Re-enable a disabled subscription (pending deliveries start a fresh retry schedule)')
    .argument('<id>', 'the subscription id', idArgument('a subscription id'))
    .action(async (id: string) => {
      const { withContext, CommandBus, EnableSubscriptionCommand } = await import('../cli-context.js');
      await withContext((context) => context.get(CommandBus).execute(new EnableSubscriptionCommand(id)));
      process.stdout.write(`enabled subscription ${id}\n`);
    });

  subscriptions
    .command('recover')
    .description(
      'Re-queue the deliveries abandoned since a time, each with a fresh retry schedule, and re-enable the subscription',
    )
    .argument('<id>', 'the subscription id', idArgument('a subscription id'))
    .requiredOption('--since <time>', 'ISO 8601 date or time, e.g. 2026-01-15T10:00:00Z')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { since: string; json?: boolean }) => {
      if (!isInstant(options.since.trim()))
        throw new CliError(
          `--since must be an ISO 8601 date or time such as 2026-01-15T10:00:00Z, got "${options.since}"`,
          2,
        );
      const { withContext, CommandBus, RecoverSubscriptionCommand } = await import('../cli-context.js');
      const result: RecoveredSubscription = await withContext((context) =>
        context.get(CommandBus).execute(new RecoverSubscriptionCommand(id, options.since)),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(result, null, 2)}\n`
          : `re-queued ${result.recovered} deliveries abandoned since ${result.since}; subscription ${id} is ${result.subscription.status}\n`,
      );
    });

  subscriptions
    .command('deliveries')
    .description('The delivery log of a subscription, newest first')
    .argument('<id>', 'the subscription id', idArgument('a subscription id'))
    .option('--limit <n>', 'how many attempts (1 to 1000)', (value) => Number(value), 50)
    .option('--json', 'print JSON')
    .action(async (id: string, options: { limit: number; json?: boolean }) => {
      if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 1000)
        throw new CliError('--limit must be a whole number from 1 to 1000', 2);
      const { withContext, QueryBus, GetDeliveryLogQuery } = await import('../cli-context.js');
      const log: DeliveryLog = await withContext((context) =>
        context.get(QueryBus).execute(new GetDeliveryLogQuery(id, options.limit)),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(log, null, 2)}\n`
          : `pending ${log.pending}, delivered ${log.delivered}, abandoned ${log.abandoned}\n${renderTable(
              ['WHEN', 'SEQ', 'EVENT', 'TRIAL', 'ATTEMPT', 'STATUS', 'MS', 'ERROR'],
              log.attempts.map((a) => [
                a.attemptedAt,
                String(a.sequence),
                a.eventType,
                a.nctId,
                String(a.attempt),
                a.statusCode === null ? '-' : String(a.statusCode),
                String(a.latencyMs),
                a.error ?? '',
              ]),
            )}\n`,
      );
    });
};
