import { describe, expect, it } from 'vitest';
import { fxnn } from './run-cli.js';

/** `construct --format` reads a type: an ap_fixed spelling carries its own modes (AP_TRN, AP_WRAP by default). */
describe('construct --format with ap_fixed types', () => {
  it('ap_fixed<6,3> is Q2.3 with floor and wrap; its AP modes and --rounding/--overflow are honoured', async () => {
    const config = async (...extra: string[]) => {
      const r = await fxnn(
        'construct',
        '--activation',
        'relu',
        '--fn',
        'x1',
        '--dims',
        '1',
        '--json',
        ...extra,
      );
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout).configuration;
    };
    expect(await config('--format', 'ap_fixed<6,3>')).toMatchObject({
      format: 'Q2.3',
      rounding: 'floor',
      overflow: 'wrap',
    });
    expect(await config('--format', 'ap_fixed<6,3,AP_RND_CONV,AP_SAT>')).toMatchObject({
      rounding: 'nearest-even',
      overflow: 'saturate',
    });
    expect(await config('--format', 'ap_fixed<6,3>', '--overflow', 'saturate')).toMatchObject({
      rounding: 'floor',
      overflow: 'saturate',
    });
    expect(await config('--format', 'Q2.3')).toMatchObject({
      rounding: 'nearest-even',
      overflow: 'saturate',
    });
  });
});
