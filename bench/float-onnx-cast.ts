/**
 * fxnn's casting conventions (src/float/float-interop.ts, docs/float.md §7) against ONNX Runtime's own
 * `Cast` (onnxruntime-node): float32 → FLOAT8E4M3FN / FLOAT8E5M2 with saturate = 1 and 0 (opset 19),
 * then back to float32 (exact). Inputs: every value of the format, every midpoint (ties) and the float32
 * neighbours of each, values past max (464, 465, 480, 1e30, ±inf), tiny values around half the least
 * subnormal, ±0, NaN, and random float32 bit patterns of every exponent. Each output is compared with
 * fxnn's rounding of the exact float32 input under the convention's policy (values, the sign of zero,
 * NaN as a class).
 *
 * onnxruntime-node is not a dependency (291 MB installed; its install script downloads from a host this
 * machine cannot reach). Install it next to the project without its script, then run:
 *
 *     npm install --no-save --ignore-scripts onnxruntime-node@1.30.0
 *     npx tsx bench/float-onnx-cast.ts                 # prints the comparison
 *     npx tsx bench/float-onnx-cast.ts --write-fixture  # also writes test/fixtures/onnx-cast-fp8.json
 *
 * (FXNN_ORT_DIR=/path/to/a/folder/with/node_modules uses an install elsewhere.) The fixture keeps ORT's
 * outputs so that test/float-interop.test.ts checks the conventions against them in every run.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  classify,
  type FloatFormat,
  finiteCodesAscending,
  parseFloatFormat,
} from '../src/float/float-format.js';
import { conventionPolicy } from '../src/float/float-interop.js';
import { floatCodeRational } from '../src/float/float-rounding.js';
import { parseFloatInput, roundFloatInput } from '../src/float/float-value.js';
import { onnxModelType } from '../src/onnx/onnx-proto.js';

const FLOAT = 1;
const TYPES: Record<string, number> = { E4M3: 17, E5M2: 19 };

interface Ort {
  InferenceSession: { create(bytes: Uint8Array): Promise<Session> };
  Tensor: new (type: string, data: Float32Array, dims: number[]) => unknown;
  env: { versions: Record<string, string> };
}
interface Session {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array }>>;
}

function loadOrt(): Ort {
  const base = process.env.FXNN_ORT_DIR ?? process.cwd();
  try {
    return createRequire(join(base, 'package.json'))('onnxruntime-node') as Ort;
  } catch (e) {
    console.error(
      `error: onnxruntime-node is not installed under ${base} (${(e as Error).message.split('\n')[0]}); run: npm install --no-save --ignore-scripts onnxruntime-node@1.30.0`,
    );
    process.exit(2);
  }
}

/** X (float) → Cast(to, saturate) → Cast(FLOAT) → Y, as ONNX bytes. */
function castModel(to: number, saturate: number): Uint8Array {
  const tensor = (name: string) => ({
    name,
    type: { tensor_type: { elem_type: FLOAT, shape: { dim: [{ dim_param: 'n' }] } } },
  });
  const model = {
    ir_version: 9,
    producer_name: 'fxnn bench/float-onnx-cast.ts',
    opset_import: [{ domain: '', version: 19 }],
    graph: {
      name: 'cast',
      node: [
        {
          op_type: 'Cast',
          input: ['X'],
          output: ['Y8'],
          attribute: [
            { name: 'to', type: 2, i: to },
            { name: 'saturate', type: 2, i: saturate },
          ],
        },
        { op_type: 'Cast', input: ['Y8'], output: ['Y'], attribute: [{ name: 'to', type: 2, i: FLOAT }] },
      ],
      input: [tensor('X')],
      output: [tensor('Y')],
    },
  };
  const type = onnxModelType();
  return type.encode(type.fromObject(model)).finish();
}

/** The float32 inputs for a format: values, ties and their neighbours, past max, tiny, specials, random. */
export function castInputs(f: FloatFormat, seed = 1): Float32Array {
  const bits = new Uint32Array(1);
  const fl = new Float32Array(bits.buffer);
  const next = (x: number, up: boolean) => {
    fl[0] = x;
    if (x === 0) bits[0] = up ? 1 : 0x80000001;
    else bits[0] += x > 0 === up ? 1 : -1;
    return fl[0];
  };
  const out: number[] = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const values = Array.from(finiteCodesAscending(f)).map((c) => {
    const r = floatCodeRational(c, f);
    return Number(r.num) / Number(r.den);
  });
  const max = values[values.length - 1];
  const ulpMax = max - values[values.length - 2];
  for (let i = 0; i < values.length; i++) {
    out.push(values[i]);
    if (i + 1 < values.length) {
      const mid = (values[i] + values[i + 1]) / 2;
      out.push(mid, next(mid, true), next(mid, false));
    }
  }
  const minSub = values[values.length / 2 + 1];
  for (const x of [
    max + ulpMax / 2,
    max + ulpMax,
    max + (3 * ulpMax) / 2,
    465,
    480,
    57344 + 4096,
    61440,
    65536,
    1e30,
    3.4e38,
    minSub / 2,
    minSub / 4,
    (3 * minSub) / 4,
    1e-9,
    1e-30,
    1e-45,
  ]) {
    out.push(x, -x, next(x, true), next(x, false), -next(x, true));
  }
  let s = seed >>> 0 || 1;
  for (let i = 0; i < 1200; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    bits[0] = s;
    out.push(fl[0]);
  }
  return Float32Array.from(out);
}

/** fxnn's cast of a float32 value under a convention, as a float32 (NaN for NaN codes). */
export function fxnnCast(x: number, f: FloatFormat, convention: string): number {
  const code = roundFloatInput(parseFloatInput(x), f, conventionPolicy(convention)).code;
  const k = classify(code, f);
  if (k === 'nan') return Number.NaN;
  if (k === 'infinite') return code >= f.signBit ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (k === 'zero') return code >= f.signBit ? -0 : 0;
  const r = floatCodeRational(code, f);
  return Number(r.num) / Number(r.den);
}

export const sameFloat = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);

/**
 * What ONNX Runtime 1.30's CPU Cast gives instead of rounding-then-overflow, without saturation, or
 * undefined where it follows it: E4M3FN maps 480 ≤ |x| < 496 (whose truncated pattern is S.1111.111)
 * to ±448, E5M2 maps 61440 ≤ |x| < 65536 (the values that round up to the infinity pattern) to NaN.
 */
export function ortDeviation(spec: string, saturate: number, x: number): number | undefined {
  const a = Math.abs(x);
  if (saturate === 1) return undefined;
  if (spec === 'E4M3' && a >= 480 && a < 496) return x < 0 ? -448 : 448;
  if (spec === 'E5M2' && a >= 61440 && a < 65536) return Number.NaN;
  return undefined;
}

async function main(): Promise<void> {
  const ort = loadOrt();
  const fixture: Record<string, unknown> = {
    generator: 'bench/float-onnx-cast.ts',
    onnxruntime: ort.env.versions,
    note: 'float32 inputs x and ONNX Runtime outputs of Cast(to=FP8, saturate=0/1) then Cast(to=FLOAT), as float32 bit patterns',
    casts: {},
  };
  let failed = 0;
  for (const spec of ['E4M3', 'E5M2']) {
    const f = parseFloatFormat(spec);
    const inputs = castInputs(f);
    for (const saturate of [1, 0]) {
      const convention = saturate ? 'onnx-saturate' : 'onnx-nosat';
      const session = await ort.InferenceSession.create(castModel(TYPES[spec], saturate));
      const result = await session.run({ X: new ort.Tensor('float32', inputs, [inputs.length]) });
      const y = result.Y.data;
      let mismatches = 0;
      let deviations = 0;
      const examples: string[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const known = ortDeviation(spec, saturate, inputs[i]);
        if (known !== undefined && sameFloat(y[i], known)) deviations++;
        const want = known ?? fxnnCast(inputs[i], f, convention);
        if (!sameFloat(y[i], want)) {
          mismatches++;
          if (examples.length < 5)
            examples.push(
              `${inputs[i]} → ORT ${Object.is(y[i], -0) ? '-0' : y[i]}, fxnn ${Object.is(want, -0) ? '-0' : want}`,
            );
        }
      }
      failed += mismatches;
      const show = (x: number) => {
        const i = inputs.findIndex((v) => Object.is(v, Math.fround(x)));
        const v = y[i];
        return Object.is(v, -0) ? '-0' : String(v);
      };
      console.log(
        `${spec} saturate=${saturate} (${convention}): ${inputs.length} inputs, ${mismatches} mismatches, ${deviations} in ORT's known deviations; ORT: ${(spec === 'E4M3' ? [464, 465, -465, 480, 496] : [57344, 61440, -61440, 65536, 1e30]).map((x) => `${x} → ${show(x)}`).join(', ')}, inf → ${show(Number.POSITIVE_INFINITY)}, -inf → ${show(Number.NEGATIVE_INFINITY)}, -0 → ${show(-0)}, 1e-9 → ${show(1e-9)}, -1e-9 → ${show(Math.fround(-1e-9))}`,
      );
      for (const e of examples) console.log(`  ${e}`);
      const entry = ((fixture.casts as Record<string, Record<string, number[]>>)[spec] ??= {
        x: Array.from(new Uint32Array(inputs.buffer)),
      });
      entry[`saturate${saturate}`] = Array.from(new Uint32Array(Float32Array.from(y).buffer));
    }
  }
  if (process.argv.includes('--write-fixture')) {
    const path = join(import.meta.dirname, '..', 'test', 'fixtures', 'onnx-cast-fp8.json');
    writeFileSync(path, `${JSON.stringify(fixture)}\n`);
    console.log(`wrote ${path}`);
  }
  console.log(
    failed === 0
      ? 'fxnn agrees with ONNX Runtime on every cast outside its known deviations (see ortDeviation)'
      : `${failed} mismatches`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
