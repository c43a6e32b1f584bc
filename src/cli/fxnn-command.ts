import { Command } from 'commander';

/**
 * Arguments that start like a negative number (`-0.75`, `-1.`, `-.5`, `-2.5E+2`, `-1/3`, `-Infinity`,
 * `-NaN`) are values, never options: no fxnn option starts with a digit, a dot or these words.
 */
const NEGATIVE_VALUE = /^-(?:[\d.]|inf|nan)/i;

/**
 * A commander `Command` whose commands take negative values as plain arguments
 * (`fxnn round Q3.4 -0.75 -1e-3`, `fxnn op Q3.4 div -1/3 0.5`). Commander itself accepts only
 * `-12`, `-1.5` and `-1e-3`; this class hides the other forms from its option parser and restores
 * them in the operands. Subcommands made with `.command()` are FxnnCommands too.
 */
export class FxnnCommand extends Command {
  override createCommand(name?: string): Command {
    return new FxnnCommand(name);
  }

  override parseOptions(argv: string[]): { operands: string[]; unknown: string[] } {
    const hidden = new Map<string, string>();
    const masked = [...argv];
    for (let i = 0; i < masked.length; i++) {
      const arg = masked[i];
      if (arg === '--') break;
      if (!NEGATIVE_VALUE.test(arg) || this.takesValue(masked[i - 1])) continue;
      const token = `\u0000fxnn-value-${i}`;
      hidden.set(token, arg);
      masked[i] = token;
    }
    if (hidden.size === 0) return super.parseOptions(argv);
    const restore = (args: string[]) => args.map((a) => hidden.get(a) ?? a);
    const { operands, unknown } = super.parseOptions(masked);
    return { operands: restore(operands), unknown: restore(unknown) };
  }

  /** True when `flag` is an option of this command that takes the next argument as its value. */
  private takesValue(flag: string | undefined): boolean {
    if (flag === undefined) return false;
    return this.options.some((o) => (o.long === flag || o.short === flag) && (o.required || o.optional));
  }
}
