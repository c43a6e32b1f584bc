/**
 * One construct cell in its own process, for the 16-bit table of bench/construct.bench.ts (`bits16`):
 *   npx tsx bench/construct-cell.ts ACTIVATION TYPE D [FN]
 * e.g. `npx tsx bench/construct-cell.ts tanh Q7.8 1` or `… silu "ap_fixed<16,6,AP_RND,AP_SAT>" 1`. Builds,
 * verifies on every input (construct refuses to return anything unverified) and prints one JSON line:
 * method, parameters, phase times (s) and the process's peak resident memory (MB, tsx included).
 */

import { FxnnError } from '../src/errors.js';
import { makeConfiguration } from '../src/expressivity/configuration.js';
import { construct } from '../src/expressivity/construct.js';
import { expressionTarget } from '../src/target/target-function.js';

const [activation, type, dims, fnArg] = process.argv.slice(2);
const d = Number(dims);
const fn = fnArg ?? (d === 1 ? 'sin(3*x1)' : 'sin(3*x1)*cos(2*x2)');
const c = makeConfiguration({ format: type, activation });
const t0 = performance.now();
const target = await expressionTarget(fn, c.format, c.policy, d);
let r: ReturnType<typeof construct>;
try {
  r = construct(c, target, d);
} catch (e) {
  // a refusal (FxnnError) is a result of the table, printed as such; anything else is a bug
  if (!(e instanceof FxnnError)) throw e;
  console.log(JSON.stringify({ activation, type, d, fn, error: e.message }));
  process.exit(0);
}
const s = (ms: number) => Number((ms / 1000).toFixed(1));
console.log(
  JSON.stringify({
    activation,
    type,
    d,
    fn,
    method: r.method,
    parameters: r.size.parameters,
    depth: r.size.depth,
    verified: r.verifiedInputs,
    certificate: s(r.millis.certificate),
    table: s(r.millis.table),
    compile: s(r.millis.compile),
    verify: s(r.millis.verify),
    total: s(performance.now() - t0),
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
