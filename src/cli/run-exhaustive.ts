import { FxnnError } from '../errors.js';
import { type ExhaustivePlan, planExhaustive } from '../network/exhaustive-run.js';
import type { ExhaustiveTask, TaskResult } from '../network/exhaustive-tasks.js';
import type { Network } from '../network/network.js';
import { checkBudget, startProgress } from './progress.js';

export { formatDuration, TIME_LIMIT_SECONDS } from './progress.js';

export interface ExhaustiveCliOptions {
  force?: boolean;
  workers?: string;
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
 * (unless --force), and runs it with progress on standard error when it takes a while.
 */
export async function runExhaustiveCommand(
  command: string,
  net: Network,
  task: ExhaustiveTask,
  options: ExhaustiveCliOptions,
  onResult: (result: TaskResult, start: number, rows: number) => void | Promise<void>,
  /** Runs once the estimate is accepted, before the work (e.g. open the output file). */
  before?: () => void | Promise<void>,
): Promise<ExhaustivePlan> {
  const plan = await planExhaustive(net, task, { workers: parseWorkers(options.workers) });
  checkBudget(
    command,
    `${net.format.spec}^${net.inputs} has ${plan.rows} inputs`,
    plan.estimatedSeconds,
    options.force,
    ` on ${plan.workers} thread${plan.workers === 1 ? '' : 's'}`,
  );
  await before?.();
  const progress = startProgress(command, plan.rows, 'inputs', { estimatedSeconds: plan.estimatedSeconds });
  try {
    await plan.run(onResult, (done) => progress.update(done));
  } finally {
    progress.stop();
  }
  return plan;
}
