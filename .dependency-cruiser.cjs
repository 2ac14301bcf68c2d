/**
 * The architecture's arrows, checked by `npm run lint` (dependency-cruiser): apps -> contexts ->
 * domain / infrastructure / formats / client, never the other way; contexts reach each other only
 * through their public face (their index.ts); the domain and the formats stay free of I/O frameworks.
 */
const CONTEXT = '^libs/tracking/src/([^/]+)/';
const TESTS = '\\.(spec|int-spec|e2e-spec|fault-spec)\\.ts$|/testing/';

module.exports = {
  forbidden: [
    {
      name: 'contexts-talk-through-public-faces',
      comment:
        'A context may use another context only through its index.ts (its module, commands, queries and their ' +
        'types); shared/ holds what every context may use.',
      severity: 'error',
      from: { path: CONTEXT },
      to: {
        path: '^libs/tracking/src/([^/]+)/',
        pathNot: ['^libs/tracking/src/$1/', '^libs/tracking/src/[^/]+/index\\.ts$', '^libs/tracking/src/shared/'],
      },
    },
    {
      name: 'outside-code-uses-public-faces',
      comment: 'Apps, benchmarks and end-to-end support use contexts through their index.ts only.',
      severity: 'error',
      from: { path: '^(apps|bench|test)/' },
      to: { path: '^libs/tracking/src/', pathNot: ['^libs/tracking/src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'libs-do-not-use-apps',
      severity: 'error',
      from: { path: '^libs/', pathNot: TESTS },
      to: { path: '^(apps|bench|test)/' },
    },
    {
      name: 'lower-layers-do-not-use-contexts',
      comment: 'The domain, infrastructure, formats and registry client sit below the contexts.',
      severity: 'error',
      from: { path: '^libs/(domain|infrastructure|registry-formats|ctgov-client)/' },
      to: { path: '^libs/tracking/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain is TypeScript alone: no framework, database, queue or I/O.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: TESTS },
      to: {
        pathNot: '^libs/domain/',
      },
    },
    {
      name: 'formats-are-pure',
      comment: 'The registry formats turn strings into snapshots: parsers and the domain, no I/O or framework.',
      severity: 'error',
      from: { path: '^libs/registry-formats/', pathNot: TESTS },
      to: {
        pathNot: [
          '^libs/(registry-formats|domain)/',
          '^node_modules/(fast-xml-parser|@nodable/entities|is-unsafe|cheerio|domhandler|domelementtype|entities|htmlparser2|parse5|css-select)/',
          '^node:crypto$',
          '^crypto$',
        ],
      },
    },
    {
      name: 'infrastructure-does-not-know-formats',
      severity: 'error',
      from: { path: '^libs/infrastructure/' },
      to: { path: '^libs/(registry-formats|ctgov-client)/' },
    },
    {
      name: 'no-circular-between-contexts',
      comment: 'Contexts depend on each other in one direction.',
      severity: 'error',
      from: { path: CONTEXT },
      to: { circular: true, pathNot: '^libs/tracking/src/$1/' },
    },
    {
      name: 'cli-starts-without-the-application',
      comment:
        "The CLI's entry and its commands' definitions load the application (NestJS, TypeORM, BullMQ, the " +
        'contexts, the registry formats) only by import() when an action runs: `trialwatch --help`, `parse` and a ' +
        'mistyped option need none of it, and loading it all takes seconds.',
      severity: 'error',
      from: { path: '^apps/cli/src/', pathNot: ['^apps/cli/src/cli-context\\.ts$', TESTS] },
      to: {
        path: [
          '^libs/(infrastructure|tracking|registry-formats|ctgov-client)/',
          '^node_modules/@nestjs/',
          '^apps/cli/src/cli-context\\.ts$',
        ],
        dynamic: false,
        dependencyTypesNot: ['type-only', 'type-import'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|bench/emmett)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
