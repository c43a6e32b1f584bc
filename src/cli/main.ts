import { type Command, CommanderError } from 'commander';
import { FxnnError } from '../errors.js';
import { registerActivation } from './activation-command.js';
import { registerCheck } from './check-command.js';
import { registerConstruct } from './construct-command.js';
import { registerEval } from './eval-command.js';
import { ExitStatus } from './exit-status.js';
import { registerExportC } from './export-c-command.js';
import { registerFormat } from './format-command.js';
import { FxnnCommand } from './fxnn-command.js';
import { registerImport } from './import-command.js';
import { registerInfo } from './info-command.js';
import { registerOp } from './op-command.js';
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
  ])
    register(program);
  return program;
}

/**
 * Runs the CLI. User errors print one line `error: …` and exit 2; unexpected failures keep their
 * stack (they are bugs).
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ExitStatus) return e.status;
    if (e instanceof FxnnError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (
      e instanceof Error &&
      'code' in e &&
      (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES')
    ) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
