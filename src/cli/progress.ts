import { SingleBar } from 'cli-progress';
import { FxnnError } from '../errors.js';

/**
 * Progress, estimates and the time budget of long commands, shared by all of them: work estimated
 * beyond the budget is refused with its estimate (unless --force); on a terminal a progress bar, on a
 * pipe or file one line on standard error per tenth of the work (and at least every 30 s); a line per
 * phase for work made of phases.
 */

/** Work estimated beyond this many seconds is refused without --force. */
export const TIME_LIMIT_SECONDS = 600;
/** Work expected to take longer than this shows progress. */
export const PROGRESS_SECONDS = 1.5;

/** "850 ms", "42 s", "3 min 20 s", "2 h 5 min", "3 days 4 h", "1.3 years", "2,500 years". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(seconds / 60);
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${m % 60} min`;
  const h = Math.round(seconds / 3600);
  if (h < 365 * 24) return `${Math.floor(h / 24)} days ${h % 24} h`;
  const years = seconds / (365.25 * 86400);
  if (years < 10) return `${years.toFixed(1)} years`;
  if (years < 1e9) return `${Math.round(years).toLocaleString('en-US')} years`;
  return 'more than a billion years';
}

/**
 * Refuses work estimated beyond the budget (unless `force`): one line naming the command, what makes
 * it long, the estimate and the way out.
 */
export function checkBudget(
  command: string,
  what: string,
  estimatedSeconds: number,
  force?: boolean,
  how = '',
): void {
  if (force || !(estimatedSeconds > TIME_LIMIT_SECONDS)) return;
  throw new FxnnError(
    `${command}: ${what}; the run would take about ${formatDuration(estimatedSeconds)}${how}, more than ${TIME_LIMIT_SECONDS / 60} minutes (add --force to run it anyway)`,
    'force',
  );
}

/** Progress of one piece of work counted in units (inputs, points, cells, lines). */
export interface Progress {
  update(done: number): void;
  /** Ends the bar or prints the final line (when lines were printed). */
  stop(): void;
}

export interface ProgressOptions {
  /** The expected duration: no progress is shown below PROGRESS_SECONDS (default: show it). */
  readonly estimatedSeconds?: number;
  /** Default: process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Force the line form (default: the bar on a terminal, lines otherwise). */
  readonly lines?: boolean;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** True when progress should be quiet (FXNN_PROGRESS=0). */
function quiet(): boolean {
  return process.env.FXNN_PROGRESS === '0';
}

/**
 * Starts showing the progress of `total` units of work labelled `label` (e.g. `verify`, `inputs`):
 * a bar on a terminal, otherwise a line `label: 40% (400/1000 inputs), 12 s, about 18 s left` at each
 * tenth (and at least every 30 s), after the first two seconds.
 */
export function startProgress(
  label: string,
  total: number,
  unit: string,
  options: ProgressOptions = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  if (quiet() || total <= 0) return SILENT;
  if (options.estimatedSeconds !== undefined && options.estimatedSeconds < PROGRESS_SECONDS) return SILENT;
  if (stream.isTTY && !options.lines) {
    const bar = new SingleBar({
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    });
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const t0 = performance.now();
  let lastTenth = 0;
  let lastLine = t0;
  let printed = false;
  return {
    update: (done) => {
      const now = performance.now();
      const elapsed = (now - t0) / 1000;
      const tenth = Math.floor((10 * done) / total);
      if (elapsed < 2 || done >= total) return;
      if (tenth <= lastTenth && now - lastLine < 30_000) return;
      lastTenth = Math.max(lastTenth, tenth);
      lastLine = now;
      printed = true;
      const left = done > 0 ? (elapsed * (total - done)) / done : Number.POSITIVE_INFINITY;
      const pct = Math.floor((100 * done) / total);
      stream.write(
        `${label}: ${pct}% (${done}/${total} ${unit}), ${formatDuration(elapsed)}, about ${formatDuration(left)} left\n`,
      );
    },
    stop: () => {
      if (printed)
        stream.write(
          `${label}: done, ${total} ${unit} in ${formatDuration((performance.now() - t0) / 1000)}\n`,
        );
    },
  };
}

/**
 * One line per phase of a long piece of work on standard error (`construct: compiling the network…`),
 * each with the time the previous phase took; silent when `enabled` is false (short work).
 */
export class PhaseLog {
  private t0 = performance.now();
  private current: string | undefined;

  constructor(
    private readonly label: string,
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A line, printed when enabled. */
  note(text: string): void {
    if (this.enabled && !quiet()) this.stream.write(`${this.label}: ${text}\n`);
  }

  /** Starts a phase, closing the previous one with its time. */
  phase(name: string): void {
    this.close();
    this.current = name;
    this.t0 = performance.now();
    this.note(`${name}…`);
  }

  /** Ends the current phase (prints its time). */
  close(): void {
    if (this.current !== undefined)
      this.note(`${this.current}: done in ${formatDuration((performance.now() - this.t0) / 1000)}`);
    this.current = undefined;
  }
}
