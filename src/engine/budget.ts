/**
 * Time and work budgets of the expressivity engine (issue 12: "never a crash"). A search that would
 * exceed its budget stops and the verdict is `undetermined`, naming the budget that ran out; the CLI's
 * `--budget` scales every budget. Budgets are checked by the searches themselves at cheap points (once
 * per candidate, never per σ lookup), so a run stops within a fraction of a second of its deadline.
 */

/** Why a search stopped early. */
export class BudgetExceeded extends Error {
  /** What ran out, e.g. `time budget 10 s` or `work budget 2e9 steps`. */
  readonly budget: string;
  constructor(budget: string, what: string) {
    super(`${what} exceeded the ${budget}`);
    this.name = 'BudgetExceeded';
    this.budget = budget;
  }
}

/** The default time of one verdict, in seconds (issue 12: under 60 s, goal 10 s, on 16-bit formats of this 2-core machine under load). */
export const DEFAULT_SECONDS = 30;

/**
 * A budget: a wall-clock deadline and a count of elementary steps. `scale` multiplies both (`--budget 3`
 * gives three times the time and the work).
 */
export class Budget {
  readonly seconds: number;
  readonly maxWork: number;
  private readonly deadline: number;
  private work = 0;

  constructor(scale = 1, seconds = DEFAULT_SECONDS, maxWork = 4e9) {
    this.seconds = seconds * scale;
    this.maxWork = maxWork * scale;
    this.deadline = performance.now() + this.seconds * 1000;
  }

  /** Spends `steps` units of work; throws BudgetExceeded when the work or the time is over. */
  spend(steps: number, what: string): void {
    this.work += steps;
    if (this.work > this.maxWork)
      throw new BudgetExceeded(`work budget ${this.maxWork.toExponential(0)} steps`, what);
    if (performance.now() > this.deadline) throw new BudgetExceeded(`time budget ${this.seconds} s`, what);
  }

  /** True when `steps` more units fit in the remaining work budget (for estimates made up front). */
  affords(steps: number): boolean {
    return this.work + steps <= this.maxWork;
  }

  /**
   * A budget for one phase: `fraction` of the time left (rounded to 0.1 s) and the work left; the phase
   * stops on it while this budget keeps its own deadline for the phases after it.
   */
  slice(fraction: number): Budget {
    const seconds = Math.round(this.remaining() * fraction * 10) / 10;
    return new Budget(1, seconds, Math.max(0, this.maxWork - this.work));
  }

  /** Seconds left before the deadline. */
  remaining(): number {
    return Math.max(0, (this.deadline - performance.now()) / 1000);
  }
}

/** A budget that never runs out (tests and the small exhaustive paths). */
export function unlimitedBudget(): Budget {
  return new Budget(1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
}
