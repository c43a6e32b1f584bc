import { type Command, Option } from 'commander';
import { ALL_OVERFLOW_MODES, ROUNDING_MODES } from '../policy.js';

/**
 * Adds `--rounding` and `--overflow` (validated later with clear messages). Without them a format
 * keeps the modes of its spelling: `Qm.n` nearest-even and saturate, `ap_fixed<W,I>` AP_TRN and
 * AP_WRAP (or the modes written in it).
 */
export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--rounding <mode>',
        `rounding mode: ${ROUNDING_MODES.join(', ')} or an AP name (AP_RND, AP_TRN, …) (default: the format's own: nearest-even for Qm.n, floor for ap_fixed)`,
      ),
    )
    .addOption(
      new Option(
        '--overflow <mode>',
        `overflow mode: ${ALL_OVERFLOW_MODES.join(', ')} or an AP name (AP_SAT, AP_WRAP, …) (default: the format's own: saturate for Qm.n, wrap for ap_fixed, infinity for float formats; float formats take infinity, saturate or error)`,
      ),
    );
}
