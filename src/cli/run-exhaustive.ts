import { SingleBar } from 'cli-progress';
import { FxnnError } from '../errors.js';
import { type ExhaustivePlan, planExhaustive } from '../network/exhaustive-run.js';
import type { ExhaustiveTask, TaskResult } from '../network/exhaustive-tasks.js';
import type { Network } from '../network/network.js';

/** Runs expected to take longer than this are refused without --force. */
export const TIME_LIMIT_SECONDS = 600;
/** Runs expected to take longer than this show a progress bar (on a terminal). */
const PROGRESS_SECONDS = 1.5;

export interface ExhaustiveCliOptions {
  force?: boolean;
  workers?: string;
}

/** "850 ms", "42 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  if (seconds < 86400 * 365)
    return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${(seconds / (86400 * 365)).toExponential(1)} years`;
}

function parseWorkers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new FxnnError(`--workers: expected a whole number ≥ 1, got ${JSON.stringify(text)}`, 'workers');
  return n;
}

/**
 * Plans an exhaustive run for a command, refuses it when it would take more than ten minutes
 * (unless --force), and runs it with a progress bar on standard error when it takes a while.
 */
export async function runExhaustiveCommand(
  command: string,
  net: Network,
  task: ExhaustiveTask,
  options: ExhaustiveCliOptions,
  onResult: (result: TaskResult, start: number, rows: number) => void | Promise<void>,
): Promise<ExhaustivePlan> {
  const plan = await planExhaustive(net, task, { workers: parseWorkers(options.workers) });
  const where = `${net.format.spec}^${net.inputs} has ${plan.rows} inputs`;
  if (plan.estimatedSeconds > TIME_LIMIT_SECONDS && !options.force) {
    throw new FxnnError(
      `${command}: ${where}; the run would take about ${formatDuration(plan.estimatedSeconds)} on ${plan.workers} thread${plan.workers === 1 ? '' : 's'}, more than ${TIME_LIMIT_SECONDS / 60} minutes (add --force to run it anyway)`,
      'force',
    );
  }
  const bar =
    plan.estimatedSeconds > PROGRESS_SECONDS
      ? new SingleBar({
          stream: process.stderr,
          format: `${command} [{bar}] {percentage}% | {value}/{total} inputs | eta {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        })
      : undefined;
  bar?.start(plan.rows, 0);
  try {
    await plan.run(onResult, (done) => bar?.update(done));
  } finally {
    bar?.stop();
  }
  return plan;
}
