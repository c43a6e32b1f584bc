import { it } from 'vitest';
import { shrinkRest } from '../src/engine/shrink-chain-certificate.js';
import { findShrinkChainCertificate } from '../src/engine/shrink-chain-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
it('try', () => {
  const s = settingOf(makeConfiguration({ format: 'SQ4.1', activation: 'identity', rounding: 'nearest-even', overflow: 'error', weights: 'all', accumulation: 'sequential', bias: 'last' }));
  console.log(findShrinkChainCertificate(s).tried);
  for (const sp of [0, 1, -1, 2, -2, 3, -3]) console.log(sp, JSON.stringify(shrinkRest(s, [s.min, sp - 1], [sp, s.max])), JSON.stringify(shrinkRest(s, [sp, s.max], [s.min, sp - 1])));
  console.log([-3,-2,-1,0,1,2,3].map((h) => s.mul(1, h)));
});
