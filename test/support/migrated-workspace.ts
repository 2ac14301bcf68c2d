import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './app-processes.js';
import { DatabaseProbe } from './database-probe.js';
import { createTestEnvironment, type TestEnvironment } from './test-environment.js';

/** What a describe block that runs the CLI works with: its own database, migrated by `trialwatch migrate`. */
export interface MigratedWorkspace {
  environment: TestEnvironment;
  /** Reads and writes the database directly, beside the CLI. */
  probe: DatabaseProbe;
  /** A temporary folder for the files the tests hand to the CLI. */
  folder: string;
}

/**
 * Registers the describe block's set-up and tear-down: a fresh database migrated by the CLI, a probe on it
 * and a temporary folder (named after `folderPrefix`), all removed after its tests. Read the fields inside
 * tests and hooks, once the set-up has run.
 */
export const useMigratedWorkspace = (folderPrefix: string): MigratedWorkspace => {
  const workspace = {} as MigratedWorkspace;

  beforeAll(async () => {
    workspace.environment = await createTestEnvironment();
    expect((await runCli(['migrate'], workspace.environment.env)).status).toBe(0);
    workspace.probe = new DatabaseProbe(workspace.environment.databaseUrl);
    workspace.folder = mkdtempSync(join(tmpdir(), `trialwatch-${folderPrefix}-`));
  });

  afterAll(async () => {
    await workspace.probe?.close();
    if (workspace.folder) rmSync(workspace.folder, { recursive: true, force: true });
    await workspace.environment?.teardown();
  });

  return workspace;
};
