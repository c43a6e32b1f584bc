/**
 * The values of an ONNX `TensorProto` (an initializer or a Constant): raw_data (little-endian, as the
 * IR specifies) or the typed fields (float_data, double_data, int32_data, int64_data). Values are
 * JavaScript numbers holding the exact stored value: every float32 and float64 is exactly a double;
 * integers must be safe integers. docs/import.md "Reading ONNX".
 */
import { check, FxnnError } from '../errors.js';
import type { OnnxTensor } from './onnx-proto.js';

/** A constant tensor: its shape and its values in row-major order. */
export interface Tensor {
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

const DATA_TYPES: Record<number, string> = {
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

function safeInteger(v: number | string, what: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  check(Number.isSafeInteger(n), () => `${what}: ${v} is not a safe integer`, what);
  return n;
}

/** The data type name of a TensorProto code (for messages). */
export function dataTypeName(code: number | undefined): string {
  return DATA_TYPES[code ?? 0] ?? `data type ${code}`;
}

/** Reads a tensor; `what` names it in errors (e.g. `initializer "fc1.weight"`). */
export function readTensor(t: OnnxTensor, what: string): Tensor {
  const dims = (t.dims ?? []).map((d) => safeInteger(d, `${what} dims`));
  const count = dims.reduce((a, b) => a * b, 1);
  check(
    (t.data_location ?? 0) === 0,
    () =>
      `${what}: the data is stored externally (data_location EXTERNAL); save the model with its weights inside`,
    what,
  );
  const type = t.data_type ?? 0;
  const raw = t.raw_data;
  let values: number[];
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size: Record<number, number> = {
      1: 4,
      2: 1,
      3: 1,
      4: 2,
      5: 2,
      6: 4,
      7: 8,
      9: 1,
      11: 8,
      12: 4,
      13: 8,
    };
    const bytes = size[type];
    if (bytes === undefined) {
      throw new FxnnError(`${what}: ${dataTypeName(type)} tensors are not supported`, what);
    }
    check(
      raw.length === bytes * count,
      () =>
        `${what}: raw_data has ${raw.length} bytes, the shape [${dims.join(', ')}] needs ${bytes * count}`,
      what,
    );
    values = new Array(count);
    for (let k = 0; k < count; k++) {
      const at = k * bytes;
      switch (type) {
        case 1:
          values[k] = view.getFloat32(at, true);
          break;
        case 11:
          values[k] = view.getFloat64(at, true);
          break;
        case 2:
        case 9:
          values[k] = view.getUint8(at);
          break;
        case 3:
          values[k] = view.getInt8(at);
          break;
        case 4:
          values[k] = view.getUint16(at, true);
          break;
        case 5:
          values[k] = view.getInt16(at, true);
          break;
        case 6:
          values[k] = view.getInt32(at, true);
          break;
        case 12:
          values[k] = view.getUint32(at, true);
          break;
        case 7:
          values[k] = safeInteger(String(view.getBigInt64(at, true)), what);
          break;
        default:
          values[k] = safeInteger(String(view.getBigUint64(at, true)), what);
      }
    }
  } else {
    switch (type) {
      case 1:
        // float_data holds float32 values; protobufjs reads them as float32 already
        values = (t.float_data ?? []).map((v) => Math.fround(v));
        break;
      case 11:
        values = [...(t.double_data ?? [])];
        break;
      case 2:
      case 3:
      case 4:
      case 5:
      case 6:
      case 9:
        values = [...(t.int32_data ?? [])];
        break;
      case 7:
        values = (t.int64_data ?? []).map((v) => safeInteger(v, what));
        break;
      case 12:
      case 13:
        values = (t.uint64_data ?? []).map((v) => safeInteger(v, what));
        break;
      default:
        throw new FxnnError(`${what}: ${dataTypeName(type)} tensors are not supported`, what);
    }
    check(
      values.length === count,
      () => `${what}: ${values.length} values stored, the shape [${dims.join(', ')}] needs ${count}`,
      what,
    );
  }
  for (const v of values) {
    check(Number.isFinite(v), () => `${what}: contains ${v} (only finite values can be imported)`, what);
  }
  return { dims, values };
}
