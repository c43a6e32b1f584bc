import { type Command, Option } from 'commander';
import { OVERFLOW_MODES, ROUNDING_MODES } from '../policy.js';

/** Adds `--rounding` and `--overflow` with their defaults (validated later with clear messages). */
export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--rounding <mode>', `rounding mode: ${ROUNDING_MODES.join(', ')}`).default('nearest-even'),
    )
    .addOption(
      new Option(
        '--overflow <mode>',
        `overflow mode: ${OVERFLOW_MODES.join(', ')}; float formats: infinity (their default), saturate, error`,
      ).default('saturate'),
    );
}
