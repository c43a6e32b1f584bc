import { makeConfiguration } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
const [a, f, w, ...rest] = process.argv.slice(2);
const opts: Record<string, string> = {};
for (const r of rest) { const [k, v] = r.split('='); opts[k] = v; }
const t = performance.now();
const v = decide(makeConfiguration({ activation: a, format: f, weights: w, ...opts }));
console.log(v.verdict, ((performance.now() - t) / 1000).toFixed(2), 's', v.reason.slice(0, 3000));
