/**
 * Odd generators for identity tables (docs/theory.md §10.10, "Odd generators for identity tables"): a shift
 * generator G (`shift-generator.ts`) with Σ_z G(z) odd, built from a chain of halvings and its shift by one.
 *
 * Statement (Proposition OH). Overflow `wrap`, codes 0..N − 1 with N = 2^k ≥ 4, n ≥ 1 fraction bits (so ½,
 * code 2^(n−1), is a weight), all weights, σ_F the identity on every code, any rounding mode, either bias
 * order. Let V₀(z) = z and V_{j+1} = ½ ⊗ V_j = rnd(V_j / 2) (one neuron, one edge of weight ½, bias 0: the
 * same under sequential and exact accumulation). Let j* = k − 1 if V_{k−1} takes only the values 0 and 1,
 * else j* = k, and A = V_{j*}. Then A(z) = [z ≥ c] for some 1 ≤ c ≤ N − 1; with L = N − c:
 *  - if L is odd, G = A has Σ_z G(z) = L, odd (sequential: the last halving is the output neuron; exact: A is
 *    read with weight 1, code 2^n, so m ≥ 1 integer bits);
 *  - if L is even and m ≥ 1, G(z) = rnd((A(z) + A(z ⊕ 1)) / 2) has Σ_z G(z) = L − 1 + 2·rnd(½), odd.
 * Under sequential accumulation the sum A(z) + A(z ⊕ 1) is a neuron with two edges of weight 1 (so 1 must be
 * a value: m ≥ 1 integer bits) and G is read from it with weight ½; under exact accumulation the neuron
 * rnd((½·A + ½·A′)) is one rounding and G is read from it with weight 1 (a multiple of 2^n, as the shift span
 * certificate requires). The block has depth j* + 2 or j* + 3 and at most 2·j* + 3 neurons.
 *
 * Proof sketch (full proof, for every rounding mode, in docs/theory.md §10.10): every rounding is monotone and
 * exact on integers, and rnd(y/2) ≤ N/2 never wraps, so V_j is non-decreasing in z with
 * ⌊z/2^j⌋ ≤ V_j(z) ≤ ⌈z/2^j⌉; hence V_{k−1} ∈ {0, 1, 2} with V_{k−1}(0) = 0 and V_{k−1}(N − 1) ∈ {1, 2},
 * and when it reaches 2, V_k = rnd(V_{k−1}/2) ∈ {0, rnd(½), 1} with V_k(N − 1) = 1. So A is a non-constant
 * non-decreasing 0/1 function: the threshold [z ≥ c]. S(z) = A(z) + A((z + 1) mod N) is 2 on [c, N − 2]
 * (L − 1 codes), 1 at z = c − 1 and z = N − 1, 0 elsewhere; rnd(2/2) = 1, rnd(0) = 0.
 *
 * The function does not trust the proof: it evaluates the generator with the setting's own arithmetic and
 * σ_F table, which need not be the identity (`generatorOddSum` of shift-generator.ts), and
 * returns it only when every value is valid and the sum is odd. Pure integer kernel on number codes.
 */
import type { GadgetNeuron } from './gadget.js';
import { type Setting, sigmaOf, unary } from './setting.js';
import { generatorOddSum, type ShiftGenerator } from './shift-generator.js';

/** Why the halving construction does not apply to s (null when it does). */
export function halvingGeneratorApplies(s: Setting): string | null {
  if (s.policy.overflow !== 'wrap') return 'overflow is not wrap';
  if (s.min !== 0 || s.max !== s.size - 1) return 'codes are not 0..N − 1';
  if (s.size < 4 || (s.size & (s.size - 1)) !== 0) return 'N is not a power of two ≥ 4';
  if (s.weightSet !== 'all') return 'weights are not all of 𝕀';
  if (s.format.fracBits < 1) return 'no fraction bit (½ is not a weight)';
  return null;
}

/** The halving chain's stage V_j on every code (σ_F applied after every step, as a hidden neuron does). */
function halvingStages(s: Setting, half: number, maxSteps: number): Float64Array[] {
  const N = s.size;
  const stages: Float64Array[] = [];
  let v = new Float64Array(N);
  for (let z = 0; z < N; z++) v[z] = sigmaOf(s, z);
  stages.push(v);
  for (let j = 1; j <= maxSteps; j++) {
    const next = new Float64Array(N);
    for (let z = 0; z < N; z++) next[z] = unary(s, half, v[z], 0);
    stages.push(next);
    v = next;
  }
  return stages;
}

/** Whether a stage is a non-constant function into {0, 1}. */
function isThreshold01(v: Float64Array): boolean {
  let ones = 0;
  for (let z = 0; z < v.length; z++) {
    if (v[z] !== 0 && v[z] !== 1) return false;
    ones += v[z];
  }
  return ones > 0 && ones < v.length;
}

/**
 * The generator of Proposition OH for s, evaluated and checked (every G(z) a code, Σ_z G(z) odd), or null.
 * The chain length j is the first j ≤ k with V_j a non-constant 0/1 function (j* of the proposition for
 * identity tables).
 */
export function oddGeneratorByHalving(s: Setting): ShiftGenerator | null {
  if (halvingGeneratorApplies(s)) return null;
  const N = s.size;
  const k = Math.log2(N);
  const half = s.one / 2;
  const one = s.one;
  const oneIsWeight = one <= s.max;
  const stages = halvingStages(s, half, k);
  let j = -1;
  for (let i = 1; i <= k; i++) {
    if (isThreshold01(stages[i])) {
      j = i;
      break;
    }
  }
  if (j < 0) return null;
  const a = stages[j];
  let ones = 0;
  for (let z = 0; z < N; z++) ones += a[z];
  const chain = (from: number): GadgetNeuron => ({ bias: 0, edges: [[from, half]] });
  const layers: GadgetNeuron[][] = [];
  let g: ShiftGenerator;
  if (ones % 2 === 1) {
    // G = A: j halvings; sequential reads the last halving as the output neuron itself, exact reads A with 1
    if (s.accumulation === 'exact') {
      if (!oneIsWeight) return null;
      for (let i = 0; i < j; i++) layers.push([chain(0)]);
      layers.push([{ bias: 0, edges: [[0, one]] }]);
    } else {
      for (let i = 0; i < j; i++) layers.push([chain(0)]);
    }
    g = { firstBiases: [0], rest: { inputs: 1, layers } };
  } else {
    // G(z) = rnd((A(z) + A(z ⊕ 1)) / 2): two chains, from the first-layer neurons σ_F(z ⊕ 0), σ_F(z ⊕ 1)
    if (!oneIsWeight) return null;
    for (let i = 0; i < j; i++) layers.push([chain(0), chain(1)]);
    if (s.accumulation === 'exact') {
      layers.push([
        {
          bias: 0,
          edges: [
            [0, half],
            [1, half],
          ],
        },
      ]);
      layers.push([{ bias: 0, edges: [[0, one]] }]);
    } else {
      layers.push([
        {
          bias: 0,
          edges: [
            [0, one],
            [1, one],
          ],
        },
      ]);
      layers.push([{ bias: 0, edges: [[0, half]] }]);
    }
    g = { firstBiases: [0, 1], rest: { inputs: 2, layers } };
  }
  return generatorOddSum(s, g) ? g : null;
}
