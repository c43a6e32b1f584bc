import type { Expr } from './expression.js';

/** Functions that map rationals to rationals. */
const RATIONAL_FUNCTIONS = new Set(['abs', 'sign', 'floor', 'ceil', 'min', 'max', 'relu', 'mod']);

/**
 * False when every value of the expression is rational and of moderate size: it uses only numbers,
 * variables, + − * /, powers with integer literal exponents up to 64 (x^1e9 is rational too, but
 * doubles decide it, saturated or tiny, faster than its exact value), comparisons, conditions and the rational functions (abs,
 * sign, floor, ceil, min, max, relu, mod). Such expressions are evaluated exactly from the start;
 * others try doubles first. Walks the tree with an explicit stack (chains may be long).
 */
export function mayBeIrrational(tree: Expr): boolean {
  const stack: Expr[] = [tree];
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'constant':
        return true;
      case 'number':
      case 'boolean':
      case 'input':
        break;
      case 'neg':
      case 'not':
        stack.push(e.arg);
        break;
      case 'binary':
        if (e.op === '^' && !integerLiteral(e.right)) return true;
        stack.push(e.left, e.right);
        break;
      case 'compare':
      case 'logic':
        stack.push(e.left, e.right);
        break;
      case 'if':
        stack.push(e.test, e.yes, e.no);
        break;
      default:
        if (!RATIONAL_FUNCTIONS.has(e.name)) return true;
        stack.push(...e.args);
    }
  }
  return false;
}

/** A small integer literal exponent (|k| ≤ 64): its powers are computed exactly at once. */
function integerLiteral(e: Expr): boolean {
  const v = e.kind === 'neg' ? e.arg : e;
  return v.kind === 'number' && v.value.den === 1n && v.value.num <= 64n;
}
