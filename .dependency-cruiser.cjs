// The layer rules of the tree (functions/*, infra, cli). test/architecture/boundaries.test.ts runs them in `npm test`,
// together with the folder-level loop check, which dependency-cruiser cannot express (its `circular` is per module).
// Type-only imports count: a domain folder that names an adapter's type still depends on it.

const DOMAIN = '^functions/(core|text|matcher|platforms|rules|escalation|crisis|auth|analytics|listening|posts|assignment)/';

/** The domain folders whose imports are listed: each imports itself and these folders of functions/ only. */
const FOLDER_IMPORTS = [
  { folder: 'rules', imports: ['core', 'text', 'matcher'], why: 'the rule language (never crisis, escalation, storage, aws)' },
  { folder: 'escalation', imports: ['core', 'platforms'], why: 'escalation targets' },
  { folder: 'crisis', imports: ['core', 'text', 'rules', 'escalation', 'platforms'], why: 'crisis mode' },
  { folder: 'auth', imports: ['core', 'rules'], why: 'sign-in and roles (the team config), never an adapter or the HTTP layer' },
  {
    folder: 'analytics',
    imports: ['core', 'rules', 'crisis'],
    why: 'response-time analytics (its config section; conversations, episodes)',
  },
  { folder: 'posts', imports: ['core', 'rules', 'crisis', 'auth'], why: 'scheduled posts (the channels section, crisis mode, audit)' },
  {
    folder: 'assignment',
    imports: ['core', 'rules', 'crisis', 'auth'],
    why: 'assignment inside the team (people and teams sections, conversations, response timers, audit)',
  },
];

function folderRule({ folder, imports, why }) {
  return {
    name: `${folder}-imports-only-${imports.join('-')}`,
    comment: `${why}: imports ${imports.join(', ')} only.`,
    severity: 'error',
    from: { path: `^functions/${folder}/` },
    to: { path: '^functions/', pathNot: `^functions/(${[folder, ...imports].join('|')})/` },
  };
}
const ADAPTERS = '^functions/(storage|aws|local)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-other-folder',
      comment: 'core is the domain pipeline: it imports nothing from the rest of functions/.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^functions/', pathNot: '^functions/core/' },
    },
    {
      name: 'text-is-a-leaf',
      comment: 'text imports nothing from functions/.',
      severity: 'error',
      from: { path: '^functions/text/' },
      to: { path: '^functions/', pathNot: '^functions/text/' },
    },
    {
      name: 'matcher-imports-only-core-and-text',
      comment: 'the matcher is a leaf library: it imports only core and text.',
      severity: 'error',
      from: { path: '^functions/matcher/' },
      to: { path: '^functions/', pathNot: '^functions/(matcher|core|text)/' },
    },
    {
      name: 'domain-imports-no-aws-sdk',
      comment: 'core, text, matcher, platforms, rules, escalation, crisis, auth and analytics never import @aws-sdk/*.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '(^|/)node_modules/@aws-sdk/|^@aws-sdk/' },
    },
    {
      name: 'domain-imports-no-adapter-app-or-entry',
      comment: 'domain folders never import storage/, aws/, local/, app/ or entries/.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^functions/(storage|aws|local|app|entries)/' },
    },
    {
      name: 'adapters-import-no-app-or-entry',
      comment: 'storage/, aws/ and local/ never import app/ or entries/.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^functions/(app|entries)/' },
    },
    {
      name: 'only-app-entries-infra-import-adapters',
      comment: 'only app/ and entries/ (and infra/, to deploy) import adapters; adapters may import each other.',
      severity: 'error',
      from: { path: '^(functions|cli)/', pathNot: '^functions/(storage|aws|local|app|entries)/' },
      to: { path: ADAPTERS },
    },
    {
      name: 'app-imports-no-entry',
      comment: 'app/ is the assembly; the entries are shells around it, never the reverse.',
      severity: 'error',
      from: { path: '^functions/app/' },
      to: { path: '^functions/entries/' },
    },
    {
      name: 'cli-imports-no-entry-or-adapter',
      comment: 'the foghorn command imports neither entries/ nor the adapters.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^functions/(entries|storage|aws|local)/' },
    },
    {
      name: 'runtime-imports-no-infra',
      comment: 'infra may import runtime code, never the reverse: nothing under functions/ or cli/ imports infra/.',
      severity: 'error',
      from: { path: '^(functions|cli)/' },
      to: { path: '^infra/' },
    },
    ...FOLDER_IMPORTS.map(folderRule),
    {
      name: 'no-circular-between-folders',
      comment: 'no import cycle of modules that crosses a folder (functions/<folder>, infra, cli).',
      severity: 'error',
      from: { path: '^(functions/[^/]+|infra|cli)/' },
      to: { circular: true, via: { pathNot: '^$1/' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(cdk\\.out|\\.foghorn|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
