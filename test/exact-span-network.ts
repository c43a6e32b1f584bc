/**
 * Test helper (not a test file): the network N_f of an exact span certificate (docs/theory.md §10.10,
 * Proposition XS) for d = 1 or 2, as a reference network of src/network, following the proof: blocks of two
 * layers (k_j copies of each term's first-layer neuron σ_F(w₁·h + b₁), each read once with the term's
 * readout weight w, into one neuron whose exact sum is 2^n·φ), a tree of pair ANDs, an identity output layer.
 */
import { type ExactSpanCertificate, exactSpanCoefficients } from '../src/engine/exact-span-certificate.js';
import { type Setting, sigmaOf } from '../src/engine/setting.js';
import { wrapCode } from '../src/engine/shift-span-certificate.js';
import { type Configuration, makeConfiguration } from '../src/expressivity/configuration.js';
import { makeNetwork, type Neuron } from '../src/network/network.js';

/** One block neuron: Σ over (source, φ) of φ(source) (φ indexed by code − min) plus a constant. */
type Spec = { parts: Array<{ src: number; phi: number[] }>; constant: number };

function block(s: Setting, c: ExactSpanCertificate, specs: Spec[]): { first: Neuron[]; second: Neuron[] } {
  const first: Neuron[] = [];
  const second: Neuron[] = [];
  for (const spec of specs) {
    const edges: Array<readonly [number, bigint]> = [];
    let bias = spec.constant;
    for (const { src, phi } of spec.parts) {
      const k = exactSpanCoefficients(s, c, phi);
      bias += k.bias;
      c.terms.forEach((t, j) => {
        for (let copy = 0; copy < k.copies[j]; copy++) {
          edges.push([first.length, BigInt(t.w)]);
          first.push({ bias: BigInt(t.b1), edges: [[src, BigInt(t.w1)]] });
        }
      });
    }
    second.push({ bias: BigInt(wrapCode(s, bias)), edges });
  }
  return { first, second };
}

/** N_f for f : 𝕀^d → 𝕀 (d = 1 or 2; codes in, codes out) following the proof of Proposition XS. */
export function exactSpanNetworkFor(
  cfg: Configuration,
  s: Setting,
  c: ExactSpanCertificate,
  d: number,
  f: (x: number[]) => number,
) {
  const N = s.size;
  const identity = makeConfiguration({ format: cfg.format.spec, activation: 'identity' }).activation;
  const layers: Array<{ activation: typeof identity; neurons: Neuron[] }> = [];
  const codes = [...Array(N).keys()].map((i) => s.min + i);
  const ind = (alpha: number, k: number) => codes.map((t) => (t === alpha ? k : 0));
  if (d === 1) {
    const out = block(s, c, [{ parts: [{ src: 0, phi: codes.map((x) => f([x])) }], constant: 0 }]);
    layers.push(
      { activation: cfg.activation, neurons: out.first },
      { activation: identity, neurons: out.second },
    );
  } else {
    const points: number[][] = [];
    for (const a of codes) for (const b of codes) points.push([a, b]);
    // the pair AND of every point: σ_F(p + K·[x₁ = a₁] + K·[x₂ = a₂]) is y₂ = σ_F(p + 2K) iff x = a
    const and = block(
      s,
      c,
      points.map(([a1, a2]) => ({
        parts: [
          { src: 0, phi: ind(a1, c.k) },
          { src: 1, phi: ind(a2, c.k) },
        ],
        constant: c.p,
      })),
    );
    const y2 = sigmaOf(s, wrapCode(s, c.p + 2 * c.k));
    const out = block(s, c, [{ parts: points.map((a, i) => ({ src: i, phi: ind(y2, f(a)) })), constant: 0 }]);
    layers.push(
      { activation: cfg.activation, neurons: and.first },
      { activation: cfg.activation, neurons: and.second },
      { activation: cfg.activation, neurons: out.first },
      { activation: identity, neurons: out.second },
    );
  }
  return makeNetwork({
    format: cfg.format,
    policy: cfg.policy,
    accumulation: cfg.accumulation,
    bias: cfg.bias,
    inputs: d,
    layers,
  });
}
