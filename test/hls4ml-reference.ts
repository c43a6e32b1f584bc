/**
 * An independent float64-then-round reference of hls4ml's latency dense semantics for tests: types
 * `ap_fixed<W,I[,Q[,O]]>` / `ap_ufixed<…>` of at most 24 bits, every value a double (exact at these
 * sizes: codes below 2^24, products below 2^48), each cast written out from ap_fixed's definitions of
 * the quantization and overflow modes. Shares no code with fxnn's arithmetic.
 */
export interface ApType {
  readonly width: number;
  readonly int: number;
  readonly signed: boolean;
  readonly q: string;
  readonly o: string;
}

export function parseAp(spec: string): ApType {
  const m = /^ap_(u?)fixed<\s*(\d+)\s*,\s*(-?\d+)\s*(?:,\s*(\w+)\s*)?(?:,\s*(\w+)\s*)?>$/.exec(spec);
  if (!m) throw new Error(`reference: cannot read ${spec}`);
  const width = Number(m[2]);
  if (width > 24) throw new Error('reference: at most 24 bits');
  return { width, int: Number(m[3]), signed: m[1] === '', q: m[4] ?? 'AP_TRN', o: m[5] ?? 'AP_WRAP' };
}

/** ap_fixed's cast of an exact double x into t. */
export function castAp(x: number, t: ApType): number {
  const frac = t.width - t.int;
  const v = x * 2 ** frac; // exact: a power-of-two scaling
  const fl = Math.floor(v);
  const r = v - fl; // exact
  let k: number;
  switch (t.q) {
    case 'AP_TRN':
      k = fl;
      break;
    case 'AP_TRN_ZERO':
      k = v < 0 ? Math.ceil(v) : fl;
      break;
    case 'AP_RND':
      k = r >= 0.5 ? fl + 1 : fl;
      break;
    case 'AP_RND_ZERO':
      k = r > 0.5 || (r === 0.5 && v < 0) ? fl + 1 : fl;
      break;
    case 'AP_RND_MIN_INF':
      k = r > 0.5 ? fl + 1 : fl;
      break;
    case 'AP_RND_INF':
      k = r > 0.5 || (r === 0.5 && v > 0) ? fl + 1 : fl;
      break;
    case 'AP_RND_CONV':
      k = r > 0.5 || (r === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
      break;
    default:
      throw new Error(`reference: unknown quantization ${t.q}`);
  }
  const min = t.signed ? -(2 ** (t.width - 1)) : 0;
  const max = t.signed ? 2 ** (t.width - 1) - 1 : 2 ** t.width - 1;
  if (k < min || k > max) {
    switch (t.o) {
      case 'AP_SAT':
        k = k < min ? min : max;
        break;
      case 'AP_SAT_SYM':
        k = k < min ? (t.signed ? -max : 0) : max;
        break;
      case 'AP_SAT_ZERO':
        k = 0;
        break;
      case 'AP_WRAP': {
        const m = 2 ** t.width;
        k = ((((k - min) % m) + m) % m) + min;
        break;
      }
      default:
        throw new Error(`reference: unknown overflow ${t.o}`);
    }
  }
  if (t.o === 'AP_SAT_SYM' && t.signed && k === min) k = -max; // SAT_SYM never yields the most negative code
  return k / 2 ** frac;
}

export interface RefDense {
  readonly kind: 'dense';
  /** weights[i][j] input i → output j (float32 values as read from the model). */
  readonly weights: number[][];
  readonly bias: number[];
  readonly types: { weight: ApType; bias: ApType; accum: ApType; result: ApType };
}
export interface RefActivation {
  readonly kind: 'relu' | 'linear';
  readonly result: ApType;
}

/** hls4ml latency dense and relu/linear activations on an input already in the input type. */
export function referenceEval(layers: ReadonlyArray<RefDense | RefActivation>, x: number[]): number[] {
  let h = x;
  for (const l of layers) {
    if (l.kind === 'dense') {
      const { weight, bias, accum, result } = l.types;
      h = l.bias.map((b, j) => {
        let acc = castAp(castAp(b, bias), accum);
        l.weights.forEach((row, i) => {
          acc = castAp(acc + castAp(castAp(row[j], weight) * h[i], accum), accum);
        });
        return castAp(acc, result);
      });
    } else {
      h = h.map((v) => castAp(l.kind === 'relu' ? Math.max(0, v) : v, l.result));
    }
  }
  return h;
}
