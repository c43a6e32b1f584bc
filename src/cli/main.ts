import { readFileSync } from 'node:fs';
import { type Command, CommanderError } from 'commander';
import { FxnnError } from '../errors.js';
import { registerActivation } from './activation-command.js';
import { registerCheck } from './check-command.js';
import { registerCompare } from './compare-command.js';
import { registerConstruct } from './construct-command.js';
import { registerEval } from './eval-command.js';
import { ExitStatus } from './exit-status.js';
import { registerExportC } from './export-c-command.js';
import { registerFormat } from './format-command.js';
import { FxnnCommand } from './fxnn-command.js';
import { registerImport } from './import-command.js';
import { registerInfo } from './info-command.js';
import { registerOp } from './op-command.js';
import { registerProfile } from './profile-command.js';
import { registerReproduce } from './reproduce-command.js';
import { registerRound } from './round-command.js';
import { registerTour } from './tour-command.js';
import { registerVerify } from './verify-command.js';

/** Builds the `fxnn` command line (one register function per command file). */
export function buildProgram(): Command {
  const program = new FxnnCommand();
  program
    .name('fxnn')
    .description('exact fixed-point neural networks: formats, rounding, networks and their expressive power')
    // Usage errors stay one line: `error: unknown option '-x' (run with --help for usage)`.
    .configureOutput({
      outputError: (text, write) => write(`${text.trimEnd()} (run with --help for usage)\n`),
    })
    .version(packageVersion(), '-V, --version', 'print the version of fxnn')
    .addHelpText(
      'after',
      '\nExit status: 0 success, 1 a negative answer (verify: the network differs from the target), 2 an error.\n' +
        'An unexpected failure prints one line "error: internal: …"; add --debug (anywhere) for its stack.',
    )
    .exitOverride();
  for (const register of [
    registerFormat,
    registerRound,
    registerOp,
    registerTour,
    registerActivation,
    registerConstruct,
    registerCheck,
    registerReproduce,
    registerEval,
    registerVerify,
    registerInfo,
    registerExportC,
    registerImport,
    registerCompare,
    registerProfile,
  ])
    register(program);
  return program;
}

/** The version in package.json (next to dist/ and src/). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

/** File-system error codes that are the user's (a missing file, a directory given as a file, …). */
const USER_FS_ERRORS = new Set([
  'ENOENT',
  'EISDIR',
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'EEXIST',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'ENAMETOOLONG',
  'ELOOP',
  'EMFILE',
]);

/**
 * The one line printed for an error that is not an FxnnError: file-system errors are the user's
 * (`error: ENOENT: no such file or directory, open 'x.json'`), anything else is a bug
 * (`error: internal: …`, with the stack under --debug).
 */
export function errorLine(e: unknown, debug: boolean): string {
  if (e instanceof FxnnError) return `error: ${e.message}`;
  const code = e instanceof Error && 'code' in e ? String(e.code) : '';
  if (USER_FS_ERRORS.has(code)) return `error: ${(e as Error).message}`;
  const message = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  const first = message.split('\n', 1)[0];
  const stack = debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `error: internal: ${first}${debug ? '' : ' (run with --debug for the stack)'}${stack}`;
}

/** True when `--debug` is among the arguments (before `--`) or FXNN_DEBUG is set. */
export function debugRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  return options.includes('--debug') || (process.env.FXNN_DEBUG ?? '') !== '';
}

/**
 * Runs the CLI and returns the exit status: 0 success, 1 only for a negative answer (verify's
 * mismatches), 2 for every error. User errors print one line `error: …`; anything unexpected is
 * caught here too and printed as one line `error: internal: …` (its stack under `--debug`), status 2.
 */
export async function main(argv: string[]): Promise<number> {
  const debug = debugRequested(argv);
  const end = argv.indexOf('--');
  const args = argv.filter((a, i) => a !== '--debug' || (end >= 0 && i > end));
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ExitStatus) return e.status;
    process.stderr.write(`${errorLine(e, debug)}\n`);
    return 2;
  }
}
