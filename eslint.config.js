import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** SQL naming these tables: FROM, JOIN, INTO, UPDATE or DELETE FROM them. */
const EVENT_STORE_TABLES = 'events|streams';
const READ_MODEL_TABLES = 'trial_current_state|change_feed|trial_field_history|trial_status_periods';
const sqlOn = (tables, message) =>
  ['Literal', 'TemplateElement'].map((node) => ({
    selector: `${node}[${node === 'Literal' ? 'value' : 'value.raw'}=/\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+(${tables})\\b/i]`,
    message,
  }));

export default tseslint.config(
  { ignores: ['dist/**', '**/node_modules/**', 'coverage/**', 'test/fixtures/**', 'test-artifacts/**'] },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'readonly', require: 'readonly' } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
    },
  },
  {
    // The web pages' script runs in the browser, loaded by a classic <script> tag (not a module), and nowhere else.
    files: ['libs/tracking/src/web/assets/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        // Node's, from the block above; a browser has neither.
        process: 'off',
        Buffer: 'off',
      },
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'bullmq', 'ioredis', 'node:*', 'fs', 'http', '@app/*'],
              message: 'libs/domain is pure: no framework, no I/O',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the event store reads and writes the event store's tables.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      'libs/infrastructure/src/event-store/**',
      'libs/infrastructure/src/database/migrations/**',
      '**/*spec.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...sqlOn(EVENT_STORE_TABLES, 'only the event store (libs/infrastructure/src/event-store) touches this table'),
        ...sqlOn(READ_MODEL_TABLES, "only the read models' repositories touch this table"),
      ],
    },
  },
  {
    // Each read model's tables are read and written through its repository.
    files: ['libs/infrastructure/src/event-store/**/*.ts'],
    ignores: ['**/*spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...sqlOn(READ_MODEL_TABLES, "only the read models' repositories touch this table"),
      ],
    },
  },
  {
    files: ['libs/tracking/src/read-models/repositories/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...sqlOn(EVENT_STORE_TABLES, 'only the event store (libs/infrastructure/src/event-store) touches this table'),
      ],
    },
  },
  {
    // Controllers run no SQL: they send commands and queries.
    files: ['**/*.controller.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@app/infrastructure',
              importNames: ['Database', 'Sql', 'EventStore'],
              message: 'a controller runs no SQL: send a command or a query',
            },
          ],
        },
      ],
    },
  },
);
