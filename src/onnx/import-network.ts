/**
 * An MLP chain with an hls4ml precision config → network JSON version 2 (docs/import.md, and
 * /V2-SCHEMA in docs/networks.md). Each Gemm/MatMul becomes a dense layer with hls4ml's latency
 * semantics (`bias: first`, `accumulation: sequential`); its weights and biases are the exact values
 * read from the model, rounded into the layer's weight and bias types by those types' own modes (as
 * ap_fixed's constructor from a double does). Activations become activation layers (sigmoid and tanh
 * with hls4ml's tables unless `activations: 'exact'`), QONNX quantizers `linear` activation layers
 * into their types (hls4ml's mapping).
 */

import { roundRational } from '../core/ops.js';
import type { Rational } from '../core/rational.js';
import { fromDouble } from '../core/rational.js';
import { roundQuotient } from '../core/rounding.js';
import { FxnnError } from '../errors.js';
import { type FixedType, parseFixedType, type TypeObject } from '../fixed-type.js';
import { codeToDecimal } from '../value.js';
import type { Hls4mlConfig, LayerSettings, PrecisionKey } from './hls4ml-config.js';
import type { ChainStep, MlpChain, TypeSpec } from './mlp-chain.js';

export const DEFAULT_PRECISION = 'ap_fixed<16,6>';
export const DEFAULT_TABLE_SIZE = 1024;
export const DEFAULT_TABLE_TYPE = 'ap_fixed<18,8>';

export interface ImportOptions {
  /** The default type (`--precision`); overrides the config's Model.Precision. */
  readonly precision?: string;
  readonly config?: Hls4mlConfig;
  /** `table` (hls4ml's lookup tables, the default) or `exact` (fxnn's correctly rounded σ). */
  readonly activations?: 'table' | 'exact';
  /**
   * `float32` (default): the exact float32 values, rounded into their types. `hls4ml-text`: as
   * hls4ml's writer passes them to the C++ — printed with as many decimal places as the type has
   * fractional bits (Python's correctly rounded, ties-to-even formatting), read back as a double,
   * then rounded into the type.
   */
  readonly weightValues?: 'float32' | 'hls4ml-text';
}

/** v printed with `places` decimals (ties to even, as Python's '{:.Nf}'), read back as the nearest double. */
export function hls4mlText(v: Rational, places: number): Rational {
  const scale = 10n ** BigInt(places);
  const k = roundQuotient(v.num * scale, v.den, 'nearest-even').value;
  const neg = k < 0n;
  const digits = (neg ? -k : k).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return fromDouble(Number(`${neg ? '-' : ''}${text}`));
}

/** A layer's names for config look-up: its own, then aliases (a merged Add, hls4ml's `<quant>_act`). */
export function layerNames(step: ChainStep): string[] {
  if (step.kind === 'dense') return [step.name, ...step.merged];
  if (step.kind === 'quant') return [step.name, `${step.name}_act`];
  return [step.name];
}

/** hls4ml's layer class of a step (for LayerType). */
function layerClass(step: ChainStep): string {
  if (step.kind === 'dense') return 'Dense';
  if (step.kind === 'activation' && step.activation === 'leaky-relu') return 'ParametrizedActivation';
  return 'Activation';
}

/** A resolved type: the spelling written into the JSON, the parsed type, and where it came from. */
interface Resolved {
  readonly spec: TypeSpec;
  readonly type: FixedType;
  readonly from: string;
}

function parseType(spec: TypeSpec, from: string): FixedType {
  try {
    return parseFixedType(typeof spec === 'string' ? spec : (spec as TypeObject));
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${from}: ${e.message}`, 'config');
    throw e;
  }
}

/** Resolves types by hls4ml's precedence; see hls4ml-config.ts. */
class Resolver {
  readonly fallback: { spec: TypeSpec; from: string };
  constructor(readonly options: ImportOptions) {
    const config = options.config;
    this.fallback = options.precision
      ? { spec: options.precision, from: '--precision' }
      : config?.model
        ? { spec: config.model.type, from: `${config.source}: ${config.model.path}` }
        : { spec: DEFAULT_PRECISION, from: 'the default precision' };
    parseType(this.fallback.spec, this.fallback.from);
  }

  private named(names: readonly string[]): LayerSettings | undefined {
    for (const n of names) {
      const s = this.options.config?.layerName.get(n);
      if (s) return s;
    }
    return undefined;
  }

  type(names: readonly string[], cls: string, key: PrecisionKey, quant?: TypeSpec): Resolved {
    const source = this.options.config?.source ?? '';
    const named = this.named(names)?.precision[key];
    if (named)
      return { spec: named.type, type: parseType(named.type, `${source}: ${named.path}`), from: named.path };
    if (quant !== undefined)
      return { spec: quant, type: parseType(quant, `the quantizer of ${names[0]}`), from: 'QONNX' };
    const typed = this.options.config?.layerType.get(cls)?.precision[key];
    if (typed)
      return { spec: typed.type, type: parseType(typed.type, `${source}: ${typed.path}`), from: typed.path };
    if (key === 'table') {
      return { spec: DEFAULT_TABLE_TYPE, type: parseType(DEFAULT_TABLE_TYPE, 'table_t'), from: 'default' };
    }
    const f = this.fallback;
    return { spec: f.spec, type: parseType(f.spec, f.from), from: f.from };
  }

  tableSize(names: readonly string[], cls: string): number {
    return (
      this.named(names)?.tableSize?.value ??
      this.options.config?.layerType.get(cls)?.tableSize?.value ??
      DEFAULT_TABLE_SIZE
    );
  }
}

/** The exact value r rounded into the type (its rounding, then its overflow), as a decimal string. */
export function roundIntoType(r: Rational, type: FixedType, overflowed?: () => void): string {
  const { code, overflowed: over } = roundRational(r.num, r.den, type.format, type.policy);
  if (over) overflowed?.();
  return codeToDecimal(code, type.format);
}

export interface ImportResult {
  /** The network JSON version 2 object. */
  readonly json: Record<string, unknown>;
  readonly notes: string[];
}

/** Builds the network JSON v2 of a chain (see the file comment). */
export function importChain(chain: MlpChain, options: ImportOptions = {}): ImportResult {
  const resolver = new Resolver(options);
  const notes = [...chain.notes];
  checkConfigNames(chain, options.config);
  const inputType = resolver.type(['input', chain.inputName], 'Input', 'result');
  const layers: Record<string, unknown>[] = [];
  let previous = inputType;
  for (const step of chain.steps) {
    const names = layerNames(step);
    const cls = layerClass(step);
    const t = (key: PrecisionKey, quant?: TypeSpec) => resolver.type(names, cls, key, quant);
    if (step.kind === 'dense') {
      const weight = t('weight', step.weightType);
      const bias = t('bias', step.biasType);
      const accum = t('accum');
      const result = t('result');
      let wOver = 0;
      let bOver = 0;
      const countW = () => wOver++;
      const countB = () => bOver++;
      const text = options.weightValues === 'hls4ml-text';
      const value = (r: Rational, t: FixedType) => (text ? hls4mlText(r, Math.max(0, t.format.fracBits)) : r);
      layers.push({
        kind: 'dense',
        name: step.name,
        types: { weight: weight.spec, bias: bias.spec, accum: accum.spec, result: result.spec },
        accumulation: 'sequential',
        bias: 'first',
        neurons: step.weights.map((row, j) => ({
          bias: roundIntoType(value(step.bias[j], bias.type), bias.type, countB),
          edges: row.flatMap((w, i) => {
            const v = roundIntoType(value(w, weight.type), weight.type, countW);
            return v === '0' ? [] : [[i, v]];
          }),
        })),
      });
      if (wOver > 0)
        notes.push(
          `${step.name}: ${wOver} weight${wOver === 1 ? '' : 's'} outside ${weight.type.name} (stored as its overflow mode makes them)`,
        );
      if (bOver > 0)
        notes.push(
          `${step.name}: ${bOver} bias${bOver === 1 ? '' : 'es'} outside ${bias.type.name} (stored as its overflow mode makes them)`,
        );
      previous = result;
    } else if (step.kind === 'activation') {
      const result = t('result');
      const layer: Record<string, unknown> = {
        kind: 'activation',
        name: step.name,
        // hls4ml's leaky_relu(data_T data[], data_T alpha, res_T res[]): alpha is a value of the input's
        // type (the previous result type), and res = alpha * data is one cast of the exact product
        activation: step.alpha
          ? { name: 'leaky-relu', alpha: roundIntoType(step.alpha, previous.type) }
          : step.activation,
        types: { result: result.spec },
      };
      if ((step.activation === 'sigmoid' || step.activation === 'tanh') && options.activations !== 'exact') {
        layer.table = { size: resolver.tableSize(names, cls), type: t('table').spec };
      }
      layers.push(layer);
      previous = result;
    } else {
      const q = step.quant;
      if (q.kind === 'trunc' && (q.preExponent ?? 0) > -previous.type.format.fracBits) {
        // Trunc first rounds half-even onto its input grid 2^pre: one more linear layer, wide enough
        const pre = q.preExponent ?? 0;
        const intBits = previous.type.format.intBits + 2;
        const signed = previous.type.format.kind !== 'UQ';
        const spec = `ap_${signed ? '' : 'u'}fixed<${intBits + (signed ? 1 : 0) - pre},${intBits + (signed ? 1 : 0)},AP_RND_CONV,AP_SAT>`;
        layers.push({
          kind: 'activation',
          name: `${step.name}_input`,
          activation: 'linear',
          types: { result: spec },
        });
        notes.push(
          `${step.name}: Trunc's rounding onto its input grid 2^${pre} is the layer ${step.name}_input`,
        );
      }
      const result = t('result', q.type);
      layers.push({
        kind: 'activation',
        name: step.name,
        activation:
          q.kind === 'bipolar'
            ? { name: 'expr', expr: `x >= 0 ? ${2 ** q.exponent} : ${-(2 ** q.exponent)}` }
            : 'linear',
        types: { result: result.spec },
      });
      previous = result;
    }
  }
  return {
    json: { fxnn: 2, inputs: chain.inputs, input: inputType.spec, layers },
    notes,
  };
}

/** Every LayerName of the config must name a layer of the graph (or `input`). */
export function checkConfigNames(chain: MlpChain, config: Hls4mlConfig | undefined): void {
  if (!config) return;
  const known = new Map<string, ChainStep | 'input'>([
    ['input', 'input'],
    [chain.inputName, 'input'],
  ]);
  for (const step of chain.steps) for (const n of layerNames(step)) known.set(n, step);
  for (const [name, settings] of config.layerName) {
    const step = known.get(name);
    if (!step) {
      const list = chain.steps.map((s) => s.name).join(', ');
      throw new FxnnError(
        `${config.source}: LayerName "${name}" names no layer of the graph (layers: input, ${list})`,
        'config',
      );
    }
    const allowed: PrecisionKey[] =
      step === 'input'
        ? ['result']
        : step.kind === 'dense'
          ? ['weight', 'bias', 'accum', 'result']
          : ['result', 'table']; // hls4ml's generated configs give every activation a table_t
    for (const [key, entry] of Object.entries(settings.precision)) {
      if (!allowed.includes(key as PrecisionKey) && !entry.path.endsWith('.Precision')) {
        throw new FxnnError(
          `${config.source}: ${entry.path}: layer "${name}" has no ${key} type (its types: ${allowed.join(', ')})`,
          'config',
        );
      }
    }
  }
}
