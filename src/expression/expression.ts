import type { Rational } from '../core/rational.js';

/**
 * The one expression language of fxnn (docs/expressions.md): the syntax tree shared by activations
 * (`--expr`, the variable x) and targets (`--fn`, the inputs x1 … xd), the table of functions and
 * the limits on size. Parsing is `parseExpression`; evaluation is `evaluateDouble` (fast, double
 * intervals) and `evaluateExact` (exact rationals, else rigorous decimal enclosures).
 */

/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 100_000;
/**
 * Deepest nesting accepted: each function call, power, unary sign, comparison, condition or operand
 * of a different operator inside another counts one level; a chain a + b − c + … or a * b / c * …
 * counts one level however long it is.
 */
export const MAX_EXPRESSION_DEPTH = 200;

/** The limits as `--help` states them. */
export const EXPRESSION_LIMITS_TEXT = `at most ${MAX_EXPRESSION_LENGTH} characters, nested at most ${MAX_EXPRESSION_DEPTH} deep; see docs/expressions.md`;

/** Functions, with their least and greatest numbers of arguments. */
export const EXPRESSION_FUNCTIONS = {
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
  ln: [1, 1],
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
  softplus: [1, 1],
  relu: [1, 1],
  erf: [1, 1],
  erfc: [1, 1],
} as const satisfies Record<string, readonly [number, number]>;
export type FunctionName = keyof typeof EXPRESSION_FUNCTIONS;

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | 'mod';

/** The syntax tree. Number literals keep their source text (for printing) and their exact value. */
export type Expr =
  | { readonly kind: 'number'; readonly value: Rational; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'constant'; readonly name: 'pi' | 'e' }
  | { readonly kind: 'input'; readonly index: number; readonly name: string }
  | { readonly kind: 'neg'; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly args: readonly Expr[] }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'logic'; readonly op: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly arg: Expr }
  | { readonly kind: 'if'; readonly test: Expr; readonly yes: Expr; readonly no: Expr };

export type BinaryExpr = Extract<Expr, { kind: 'binary' }>;

/** + and − form one chain, * and / another: evaluated and printed by iterating along the chain. */
export function chainFamily(op: BinaryOp): 0 | 1 | 2 {
  return op === '+' || op === '-' ? 1 : op === '*' || op === '/' ? 2 : 0;
}

/**
 * A left-deep chain a op1 b op2 c … as its first operand and its links, found by a loop (a chain of
 * 10,000 terms is 10,000 levels of binary nodes, which recursion could not walk).
 */
export function chainOf(e: BinaryExpr): {
  first: Expr;
  links: Array<{ op: BinaryOp; right: Expr }>;
} {
  const family = chainFamily(e.op);
  const links: Array<{ op: BinaryOp; right: Expr }> = [];
  let cur: Expr = e;
  while (cur.kind === 'binary' && family !== 0 && chainFamily(cur.op) === family) {
    links.push({ op: cur.op, right: cur.right });
    cur = cur.left;
  }
  if (family === 0) return { first: e.left, links: [{ op: e.op, right: e.right }] };
  links.reverse();
  return { first: cur, links };
}

/** A parsed expression: its source, its canonical text, its tree and its variables. */
export interface ParsedExpression {
  readonly text: string;
  /** Canonical form (`formatExpression`): equal texts mean equal trees. */
  readonly canonical: string;
  readonly tree: Expr;
  /** Variable names, in index order. */
  readonly variables: readonly string[];
}

/** Whether `op` holds for two values whose comparison is c (−1, 0 or 1). */
export function compareHolds(op: CompareOp, c: number): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    default:
      return c !== 0;
  }
}
