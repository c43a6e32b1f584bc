/**
 * The float panel: the facts of a float format and σ_F over its finite values (main thread: at most
 * 65,536 points, a fraction of a second). Small by design; the engine views stay fixed-point.
 */
import { BUILTIN_ACTIVATIONS, parseActivation } from '../../src/activations/activation.js';
import { floatActivationTable } from '../../src/float/float-activation.js';
import { parseFloatFormat } from '../../src/float/float-format.js';
import { floatFormatFacts } from '../../src/float/float-front.js';
import { floatCodeText, makeFloatPolicy } from '../../src/float/float-rounding.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Most rows the panel lists (the rest is summarised). */
const ROWS = 512;

export function initFloatView(): void {
  const select = $<HTMLSelectElement>('float-activation');
  for (const name of BUILTIN_ACTIVATIONS) {
    const o = document.createElement('option');
    o.textContent = name;
    if (name === 'gelu') o.selected = true;
    select.append(o);
  }
  const show = () => {
    const err = $('float-error');
    err.textContent = '';
    try {
      const f = parseFloatFormat($<HTMLInputElement>('float-spec').value);
      const facts = floatFormatFacts(f);
      $('float-facts').textContent =
        `${facts.spec}: ${facts.bits} bits (sign, ${facts.expBits} exponent, ${facts.manBits} mantissa), bias ${facts.bias}; ` +
        `min subnormal ${facts.minSubnormal}, min normal ${facts.minNormal}, max ${facts.max}; ` +
        `${facts.finiteValues} finite values; ${facts.infinities ? '±∞' : 'no infinities'}; NaN ${facts.nan}; 1 is ${facts.hasOne ? '' : 'not '}a value.`;
      const t = floatActivationTable(
        parseActivation(select.value),
        f,
        makeFloatPolicy({ rounding: $<HTMLSelectElement>('float-rounding').value }),
      );
      const lines: string[] = [];
      const n = t.inputs.length;
      const step = Math.max(1, Math.ceil(n / ROWS));
      for (let i = 0; i < n; i += step)
        lines.push(`${floatCodeText(t.inputs[i], f)} → ${floatCodeText(t.codes[i], f)}`);
      if (step > 1) lines.push(`(every ${step}th of ${n} points)`);
      $('float-table').textContent = lines.join('\n');
    } catch (e) {
      err.textContent = (e as Error).message;
      $('float-facts').textContent = '';
      $('float-table').textContent = '';
    }
  };
  $('float-btn').addEventListener('click', show);
}
