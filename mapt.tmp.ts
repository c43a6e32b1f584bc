import { BUILTIN_ACTIVATIONS } from '/work/wt/hostile/src/activations/activation.js';
import { makeFormat } from '/work/wt/hostile/src/format.js';
import { makeConfiguration } from '/work/wt/hostile/src/expressivity/configuration.js';
import { decide } from '/work/wt/hostile/src/expressivity/verdict.js';
for (let bits = 3; bits <= 8; bits++) {
  let total = 0; let worst = 0; let worstName = '';
  for (let m = 0; m < bits; m++) {
    const format = makeFormat('Q', m, bits - 1 - m).spec;
    for (const activation of BUILTIN_ACTIVATIONS) {
      const t = performance.now();
      decide(makeConfiguration({ format, activation, weights: 'all' }));
      const s = (performance.now() - t) / 1000;
      total += s; if (s > worst) { worst = s; worstName = `${activation} ${format}`; }
    }
  }
  console.log(`bits ${bits}: ${total.toFixed(2)} s, worst ${worst.toFixed(2)} s (${worstName})`);
}
