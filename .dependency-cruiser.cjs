// dependency-cruiser (`npm run deps:check`): the import rules that lint cannot see. ESLint's
// @nx/enforce-module-boundaries already guards project to project (apps never import apps, libs
// only libs, ...); these rules guard the inside of a project: no cycles between files or between
// folders, features reached only through their index.ts, and production code never reaching into
// tests. See docs/architecture.md ("Boundaries") and conventions 1 and 4.

/** A project's production source folder, or one below it. */
const SRC_FOLDER = '^(apps|libs|examples)/[^/]+/src(/|$)';

/** A folder under some project's `src/features/`, captured as $1 (project) and $2 (feature). */
const FEATURE_FILE = '^apps/([^/]+)/src/features/([^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A file must not reach itself through its imports (type-only imports count: they ' +
        'still tie the two files together). Move the shared piece into a third file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      scope: 'folder',
      comment:
        'Source folders depend on each other in one direction only (conventions 1: "no import ' +
        'cycles between folders"), e.g. routes -> services, never back. Only src/ folders count: ' +
        'src <-> test is the normal shape of a unit test that uses a fixture.',
      from: { path: SRC_FOLDER },
      to: { path: SRC_FOLDER, circular: true },
    },
    {
      name: 'feature-only-through-index',
      severity: 'error',
      comment:
        "A feature reaches another feature only through that feature's index.ts, its only door " +
        '(conventions 1); everything else in a feature folder is private to it.',
      from: { path: FEATURE_FILE },
      to: {
        path: '^apps/$1/src/features/[^/]+/',
        pathNot: ['^apps/$1/src/features/$2/', '^apps/$1/src/features/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment:
        'Production code (src/, except the unit tests beside it) never imports test code: ' +
        'test/ folders, *.test.ts, *.suite.ts, or the @hellojohn/testing helpers.',
      from: {
        path: '^(apps|libs|examples)/[^/]+/src/',
        pathNot: ['\\.(test|suite)\\.ts$', '^libs/testing/'],
      },
      to: {
        path: ['^(apps|libs|examples)/[^/]+/test/', '\\.(test|suite)\\.ts$', '^libs/testing/'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing (a moved file, or a package not installed).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|\\.nx)/' },
    // Type-only imports are dependencies too (a cycle through `import type` is still a cycle).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // Workspace libs resolve to their TypeScript sources, as tsc, Jest and tsx see them
      // (`customConditions` in tsconfig.base.json), so cycles across libs are found too.
      conditionNames: ['@hellojohn/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
