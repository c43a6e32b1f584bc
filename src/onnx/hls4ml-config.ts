/**
 * hls4ml precision configurations (docs/import.md "Precision config"): the `Model` default, `LayerName`
 * entries by ONNX node name (a node without a name is `<OpType>_<first output>`), `LayerType` entries
 * by hls4ml layer class, and the `input` entry. JSON or YAML (js-yaml), optionally wrapped in
 * `HLSConfig` as in hls4ml's full project config. A `Precision` is a type string (all of the layer's
 * types) or `{ weight, bias, accum, result }` (activations: `result`, with `table_size` and `table_t`
 * beside it). Precedence: LayerName, then a QONNX quantizer's type, then LayerType, then the default
 * (`--precision`, else Model.Precision, else hls4ml's ap_fixed<16,6>).
 */
import { load as loadYaml } from 'js-yaml';
import { check, FxnnError, quote } from '../errors.js';
import { readInputFile } from '../read-input-file.js';
import type { TypeSpec } from './mlp-chain.js';

export const PRECISION_KEYS = ['weight', 'bias', 'accum', 'result', 'table'] as const;
export type PrecisionKey = (typeof PRECISION_KEYS)[number];

/** One entry's settings, each with the config path it came from (for error messages). */
export interface LayerSettings {
  readonly precision: Partial<Record<PrecisionKey, { type: TypeSpec; path: string }>>;
  readonly tableSize?: { value: number; path: string };
}

export interface Hls4mlConfig {
  readonly source: string;
  readonly model?: { type: TypeSpec; path: string };
  readonly layerName: ReadonlyMap<string, LayerSettings>;
  readonly layerType: ReadonlyMap<string, LayerSettings>;
}

/** hls4ml's layer classes an ONNX MLP has: Dense (Gemm, MatMul), Activation, ParametrizedActivation (LeakyRelu). */
export const LAYER_TYPES = ['Dense', 'Activation', 'ParametrizedActivation', 'Input', 'InputLayer'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeAt(v: unknown, path: string): TypeSpec {
  if (typeof v === 'string') return v;
  throw new FxnnError(
    `${path}: expected a type string such as "ap_fixed<16,6>", got ${quote(JSON.stringify(v))}`,
    path,
  );
}

function layerSettings(v: unknown, path: string, kinds: string[]): LayerSettings {
  check(
    isRecord(v),
    () => `${path}: expected an object { "Precision": … }, got ${quote(JSON.stringify(v))}`,
    path,
  );
  const precision: LayerSettings['precision'] = {};
  let tableSize: LayerSettings['tableSize'];
  for (const [key, value] of Object.entries(v)) {
    const at = `${path}.${key}`;
    if (key === 'Precision') {
      if (typeof value === 'string') {
        for (const k of kinds as PrecisionKey[]) precision[k] = { type: value, path: at };
      } else if (isRecord(value)) {
        for (const [k, t] of Object.entries(value)) {
          check(
            (PRECISION_KEYS as readonly string[]).includes(k),
            () => `${at}: unknown key ${quote(k)} (expected ${PRECISION_KEYS.join(', ')})`,
            at,
          );
          precision[k as PrecisionKey] = { type: typeAt(t, `${at}.${k}`), path: `${at}.${k}` };
        }
      } else {
        throw new FxnnError(`${at}: expected a type string or { weight, bias, accum, result }`, at);
      }
    } else if (key === 'table_t') {
      precision.table = { type: typeAt(value, at), path: at };
    } else if (key === 'table_size') {
      check(
        typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1 << 24,
        () => `${at}: expected a whole number 1 … 16777216, got ${quote(JSON.stringify(value))}`,
        at,
      );
      tableSize = { value: value as number, path: at };
    }
    // other hls4ml keys (ReuseFactor, Strategy, Trace, …) do not change the arithmetic
  }
  return { precision, tableSize };
}

/** Parses a config object (already read from JSON or YAML); `source` names the file. */
export function parseHls4mlConfig(data: unknown, source: string): Hls4mlConfig {
  check(
    isRecord(data),
    () => `${source}: expected an hls4ml config object { "Model": …, "LayerName": … }`,
    'config',
  );
  const root = isRecord(data.HLSConfig) ? data.HLSConfig : data;
  const rootPath = root === data ? '' : 'HLSConfig.';
  const known = ['Model', 'LayerName', 'LayerType'];
  check(
    known.some((k) => k in root),
    () => `${source}: no Model, LayerName or LayerType section (is this an hls4ml config?)`,
    'config',
  );
  let model: Hls4mlConfig['model'];
  if (root.Model !== undefined) {
    const m = root.Model;
    check(isRecord(m), () => `${source}: ${rootPath}Model: expected an object`, 'config');
    const p = m.Precision;
    const path = `${rootPath}Model.Precision`;
    if (typeof p === 'string') model = { type: p, path };
    else if (isRecord(p) && typeof p.default === 'string')
      model = { type: p.default, path: `${path}.default` };
    else if (p !== undefined)
      throw new FxnnError(`${source}: ${path}: expected a type string or { default: … }`, 'config');
  }
  const section = (key: 'LayerName' | 'LayerType'): Map<string, LayerSettings> => {
    const map = new Map<string, LayerSettings>();
    const s = root[key];
    if (s === undefined) return map;
    check(isRecord(s), () => `${source}: ${rootPath}${key}: expected an object`, 'config');
    for (const [name, v] of Object.entries(s)) {
      if (key === 'LayerType') {
        check(
          (LAYER_TYPES as readonly string[]).includes(name),
          () =>
            `${source}: ${rootPath}LayerType.${name}: not a layer type of an imported MLP (expected ${LAYER_TYPES.join(', ')})`,
          'config',
        );
      }
      map.set(name, layerSettings(v, `${rootPath}${key}.${name}`, ['weight', 'bias', 'accum', 'result']));
    }
    return map;
  };
  return { source, model, layerName: section('LayerName'), layerType: section('LayerType') };
}

/** Reads a config file: `.yml`/`.yaml` as YAML, anything else as JSON. */
export function readHls4mlConfig(path: string): Hls4mlConfig {
  const text = readInputFile(path, '--config', 'utf8');
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? loadYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new FxnnError(
      `--config ${path}: malformed ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`,
      'config',
    );
  }
  return parseHls4mlConfig(data, path);
}
