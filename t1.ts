import { decideEnclosure } from './src/expression/decide-enclosure.js';
import { evaluateExact } from './src/expression/evaluate-exact.js';
import { intervalArithmetic } from './src/activations/decimal-interval.js';
import { parseTargetExpressionSync } from './src/target/expression.js';
import { parseFormat } from './src/format.js';
import { makePolicy } from './src/policy.js';
const Q34 = parseFormat('Q3.4');
const t = parseTargetExpressionSync('exp(x1) - exp(x1)', 1);
for (const d of [24, 48, 1536]) {
const v = evaluateExact(t.tree, [{num:1n,den:1n}], intervalArithmetic(d)) as any;
console.log(d, decideEnclosure(v, Q34, makePolicy(Q34, {rounding:'floor'})));
}
