import type { Rational } from '../core/rational.js';
import { FxnnError, quote } from '../errors.js';
import { parseValue } from '../value.js';

/** Functions a target expression may call, with their numbers of arguments. */
export const TARGET_FUNCTIONS = {
  abs: [1, 1],
  sign: [1, 1],
  floor: [1, 1],
  ceil: [1, 1],
  min: [1, Number.POSITIVE_INFINITY],
  max: [1, Number.POSITIVE_INFINITY],
  mod: [2, 2],
  pow: [2, 2],
  sqrt: [1, 1],
  cbrt: [1, 1],
  exp: [1, 1],
  expm1: [1, 1],
  log: [1, 2],
  log1p: [1, 1],
  log2: [1, 1],
  log10: [1, 1],
  sin: [1, 1],
  cos: [1, 1],
  tan: [1, 1],
  asin: [1, 1],
  acos: [1, 1],
  atan: [1, 1],
  sinh: [1, 1],
  cosh: [1, 1],
  tanh: [1, 1],
  asinh: [1, 1],
  acosh: [1, 1],
  atanh: [1, 1],
  sigmoid: [1, 1],
  relu: [1, 1],
} as const satisfies Record<string, readonly [number, number]>;
export type TargetFunctionName = keyof typeof TARGET_FUNCTIONS;

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** The syntax tree of a target expression, independent of the parser. */
export type Expr =
  | { readonly kind: 'number'; readonly value: Rational }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'constant'; readonly name: 'pi' | 'e' }
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'neg'; readonly arg: Expr }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/' | '^' | 'mod';
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'call'; readonly name: TargetFunctionName; readonly args: readonly Expr[] }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'logic'; readonly op: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly arg: Expr }
  | { readonly kind: 'if'; readonly test: Expr; readonly yes: Expr; readonly no: Expr };

/** The parsed expression and the source text it came from. */
export interface TargetExpression {
  readonly text: string;
  readonly inputs: number;
  readonly tree: Expr;
}

/** The subset of mathjs nodes the converter reads. */
interface MathNode {
  type: string;
  value?: unknown;
  name?: string;
  fn?: string | MathNode;
  op?: string;
  args?: MathNode[];
  content?: MathNode;
  condition?: MathNode;
  trueExpr?: MathNode;
  falseExpr?: MathNode;
  conditionals?: string[];
  params?: MathNode[];
}

type Parse = (text: string) => MathNode;
let parser: Promise<Parse> | undefined;

/** mathjs is large (about a second to load): it is imported on first use only. */
function loadParser(): Promise<Parse> {
  parser ??= import('mathjs').then((m) => {
    // BigNumber literals keep every digit of the source text, so constants are read exactly.
    const math = m.create({ parseDependencies: m.parseDependencies }, { number: 'BigNumber' });
    return (text: string) => math.parse(text) as unknown as MathNode;
  });
  return parser;
}

const BINARY: Record<string, '+' | '-' | '*' | '/' | '^' | 'mod'> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  mod: 'mod',
};
const COMPARE: Record<string, CompareOp> = {
  smaller: '<',
  smallerEq: '<=',
  larger: '>',
  largerEq: '>=',
  equal: '==',
  unequal: '!=',
};
const CONSTANTS: Record<string, 'pi' | 'e'> = { pi: 'pi', PI: 'pi', e: 'e', E: 'e' };

/**
 * Parses a target expression in the inputs x1 … xd (and `x` when d = 1) with mathjs's grammar:
 * + − * / ^ mod, comparisons, and/or/not, `c ? a : b`, the functions of `TARGET_FUNCTIONS`, the
 * constants pi and e. Number literals are exact decimals.
 */
export async function parseTargetExpression(text: string, inputs: number): Promise<TargetExpression> {
  const parse = await loadParser();
  let root: MathNode;
  try {
    root = parse(text);
  } catch (e) {
    throw new FxnnError(`expression ${quote(text)}: ${(e as Error).message}`, 'fn');
  }
  return { text, inputs, tree: convert(root, text, inputs) };
}

function convert(node: MathNode, text: string, inputs: number): Expr {
  const fail = (why: string): never => {
    throw new FxnnError(`expression ${quote(text)}: ${why}`, 'fn');
  };
  const sub = (n: MathNode) => convert(n, text, inputs);
  switch (node.type) {
    case 'ParenthesisNode':
      return sub(node.content!);
    case 'ConstantNode': {
      const v = node.value;
      if (typeof v === 'boolean') return { kind: 'boolean', value: v };
      if (typeof v === 'object' && v !== null && typeof (v as { toFixed?: unknown }).toFixed === 'function') {
        return { kind: 'number', value: parseValue(String(v), 'number') };
      }
      if (typeof v === 'number') return { kind: 'number', value: parseValue(v, 'number') };
      return fail(`${JSON.stringify(v)} is not a number`);
    }
    case 'SymbolNode': {
      const name = node.name!;
      const m = /^x([1-9]\d*)$/.exec(name);
      if (m && Number(m[1]) <= inputs) return { kind: 'input', index: Number(m[1]) - 1 };
      if (name === 'x' && inputs === 1) return { kind: 'input', index: 0 };
      if (name in CONSTANTS) return { kind: 'constant', name: CONSTANTS[name] };
      if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true' };
      return fail(
        `unknown symbol ${quote(name)} (the inputs are ${inputs === 1 ? 'x or x1' : `x1 … x${inputs}`}; constants pi, e)`,
      );
    }
    case 'OperatorNode': {
      const fn = node.fn as string;
      const args = node.args ?? [];
      if (fn === 'unaryMinus') return { kind: 'neg', arg: sub(args[0]) };
      if (fn === 'unaryPlus') return sub(args[0]);
      if (fn === 'not') return { kind: 'not', arg: sub(args[0]) };
      if (fn in BINARY) return { kind: 'binary', op: BINARY[fn], left: sub(args[0]), right: sub(args[1]) };
      if (fn in COMPARE) return { kind: 'compare', op: COMPARE[fn], left: sub(args[0]), right: sub(args[1]) };
      if (fn === 'and' || fn === 'or')
        return { kind: 'logic', op: fn, left: sub(args[0]), right: sub(args[1]) };
      return fail(`the operator ${quote(node.op)} is not supported`);
    }
    case 'RelationalNode': {
      // a < b <= c: the conjunction of the pairwise comparisons.
      const params = node.params!.map(sub);
      let result: Expr | undefined;
      node.conditionals!.forEach((fn, i) => {
        const op = COMPARE[fn];
        if (!op) fail(`the comparison ${quote(fn)} is not supported`);
        const pair: Expr = { kind: 'compare', op, left: params[i], right: params[i + 1] };
        result = result ? { kind: 'logic', op: 'and', left: result, right: pair } : pair;
      });
      return result!;
    }
    case 'ConditionalNode':
      return {
        kind: 'if',
        test: sub(node.condition!),
        yes: sub(node.trueExpr!),
        no: sub(node.falseExpr!),
      };
    case 'FunctionNode': {
      const callee = node.fn as MathNode;
      const name = callee.type === 'SymbolNode' ? callee.name! : '';
      if (!(name in TARGET_FUNCTIONS)) {
        return fail(
          `unknown function ${quote(name || 'expression')} (known: ${Object.keys(TARGET_FUNCTIONS).join(', ')})`,
        );
      }
      const [lo, hi] = TARGET_FUNCTIONS[name as TargetFunctionName];
      const args = (node.args ?? []).map(sub);
      if (args.length < lo || args.length > hi) {
        fail(
          `${name} takes ${lo === hi ? lo : hi === Number.POSITIVE_INFINITY ? `at least ${lo}` : `${lo} or ${hi}`} argument${hi === 1 ? '' : 's'}, got ${args.length}`,
        );
      }
      return { kind: 'call', name: name as TargetFunctionName, args };
    }
    default:
      return fail(`${node.type.replace(/Node$/, '').toLowerCase()} expressions are not supported`);
  }
}
