import { ratio } from '../core/rational.js';
import { FxnnError, quote } from '../errors.js';
import {
  type BinaryOp,
  type CompareOp,
  chainFamily,
  chainOf,
  EXPRESSION_FUNCTIONS,
  type Expr,
  type FunctionName,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  type ParsedExpression,
} from './expression.js';

/**
 * The parser of the expression language (grammar in docs/expressions.md): operator precedence by a
 * shunting-yard loop with explicit stacks, so that no input (10,000 nested parentheses, a sum of
 * 30,000 terms) can exhaust the call stack. The tree it builds is at most `MAX_EXPRESSION_DEPTH`
 * deep (chains of + − and of * / count one level), which is what the recursive evaluators rely on.
 */
export interface ParseOptions {
  /** Variable names, in index order (`['x']` for activations, `['x1', …, 'xd']` for targets). */
  readonly variables: readonly string[];
  /** Further names of variables (`x` for `x1` when d = 1). */
  readonly aliases?: Readonly<Record<string, number>>;
  /** What to call the variables in an unknown-symbol message (`the variable is x`). */
  readonly hint: string;
  /** Message prefix (`expr "…"`) and the parameter named by errors. */
  readonly label: string;
  readonly param: string;
}

/** Largest decimal exponent of a number literal (10^100000 has 332,193 bits). */
export const MAX_LITERAL_EXPONENT = 100_000;

type Token =
  | { t: 'num'; text: string; pos: number }
  | { t: 'id'; text: string; pos: number }
  | { t: 'sym'; text: string; pos: number };

const SYMBOLS = [
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '**',
  '+',
  '-',
  '*',
  '/',
  '^',
  '(',
  ')',
  ',',
  '?',
  ':',
  '<',
  '>',
  '!',
];

function tokenize(text: string, fail: (why: string) => never): Token[] {
  const tokens: Token[] = [];
  const num = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
  const id = /[A-Za-z_][A-Za-z0-9_]*/y;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    num.lastIndex = i;
    let m = num.exec(text);
    if (m) {
      tokens.push({ t: 'num', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    id.lastIndex = i;
    m = id.exec(text);
    if (m) {
      tokens.push({ t: 'id', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const sym = SYMBOLS.find((s) => text.startsWith(s, i));
    if (sym === undefined) fail(`unexpected character ${quote(c)} at position ${i + 1}`);
    tokens.push({ t: 'sym', text: sym, pos: i });
    i += sym.length;
  }
  return tokens;
}

/** The exact value of a decimal literal. */
function literal(text: string, fail: (why: string) => never): Expr {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const int = m[1] ?? '';
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? '0');
  if (!(Math.abs(exp) <= MAX_LITERAL_EXPONENT)) {
    fail(`the number ${quote(text)} has an exponent beyond ±${MAX_LITERAL_EXPONENT}`);
  }
  const digits = BigInt(`${int}${frac}` || '0');
  const e = exp - frac.length;
  const value = e >= 0 ? ratio(digits * 10n ** BigInt(e), 1n) : ratio(digits, 10n ** BigInt(-e));
  return { kind: 'number', value, text };
}

const COMPARE: Record<string, CompareOp> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '==',
  '!=': '!=',
};

interface Operand {
  readonly e: Expr;
  readonly depth: number;
  /** The last operand of an unparenthesized comparison chain a < b <= c (to continue it). */
  readonly chainEnd?: Expr;
}

type Frame =
  | {
      readonly t: 'op';
      readonly op: string;
      readonly prec: number;
      readonly unary: boolean;
      readonly pos: number;
    }
  | { readonly t: 'paren'; readonly pos: number }
  | { readonly t: 'call'; readonly name: string; argc: number; readonly pos: number }
  | { readonly t: '?'; readonly pos: number }
  | { readonly t: ':'; readonly pos: number };

const PREC: Record<string, number> = {
  or: 2,
  and: 3,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '==': 5,
  '!=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  mod: 7,
  '^': 9,
};
const NOT_PREC = 4;
const UNARY_PREC = 8;

/**
 * Parses `text` into the expression tree; every problem is an FxnnError `<label>: <why>` naming the
 * parameter. Accepts numbers (exact decimals, `1e-3`), the variables, `pi`, `e`, `true`, `false`,
 * + − * / ^ (also **) mod, comparisons (chained: a < b <= c), and/or/not (also && || !), c ? a : b,
 * and the functions of `EXPRESSION_FUNCTIONS`.
 */
export function parseExpression(text: string, options: ParseOptions): ParsedExpression {
  const fail = (why: string): never => {
    throw new FxnnError(`${options.label}: ${why}`, options.param);
  };
  if (typeof text !== 'string' || text.trim() === '') fail('the expression is empty');
  if (text.length > MAX_EXPRESSION_LENGTH) {
    fail(`the expression has ${text.length} characters; at most ${MAX_EXPRESSION_LENGTH} are accepted`);
  }
  const tokens = tokenize(text, fail);
  const out: Operand[] = [];
  const ops: Frame[] = [];
  let expectOperand = true;

  const variable = (name: string): number | undefined => {
    const i = options.variables.indexOf(name);
    if (i >= 0) return i;
    return options.aliases && Object.hasOwn(options.aliases, name) ? options.aliases[name] : undefined;
  };
  const push = (e: Expr, depth: number, chainEnd?: Expr) => {
    if (depth > MAX_EXPRESSION_DEPTH) {
      fail(`the expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`);
    }
    out.push(chainEnd === undefined ? { e, depth } : { e, depth, chainEnd });
  };
  const pop = (): Operand => out.pop()!;

  const apply = (f: Frame) => {
    if (f.t === ':') {
      const no = pop();
      const yes = pop();
      const test = pop();
      push({ kind: 'if', test: test.e, yes: yes.e, no: no.e }, 1 + Math.max(test.depth, yes.depth, no.depth));
      return;
    }
    if (f.t !== 'op') return;
    if (f.unary) {
      const a = pop();
      if (f.op === 'not') push({ kind: 'not', arg: a.e }, a.depth + 1);
      else if (f.op === '-') push({ kind: 'neg', arg: a.e }, a.depth + 1);
      else push(a.e, a.depth); // unary +
      return;
    }
    const b = pop();
    const a = pop();
    const depth = 1 + Math.max(a.depth, b.depth);
    if (f.op === 'and' || f.op === 'or') {
      push({ kind: 'logic', op: f.op, left: a.e, right: b.e }, depth);
      return;
    }
    const cmp = COMPARE[f.op];
    if (cmp !== undefined) {
      const pair: Expr = { kind: 'compare', op: cmp, left: a.chainEnd ?? a.e, right: b.e };
      if (a.chainEnd === undefined) push(pair, depth, b.e);
      else push({ kind: 'logic', op: 'and', left: a.e, right: pair }, depth, b.e);
      return;
    }
    const op = f.op as BinaryOp;
    const e: Expr = { kind: 'binary', op, left: a.e, right: b.e };
    const family = chainFamily(op);
    const continues = family !== 0 && a.e.kind === 'binary' && chainFamily(a.e.op) === family;
    push(e, continues ? Math.max(a.depth, b.depth + 1) : depth);
  };

  /** Pops operators (and completed conditionals) down to a bracket, a call or a pending `?`. */
  const unwind = (minPrec: number) => {
    for (;;) {
      const top = ops[ops.length - 1];
      if (top === undefined) return;
      if (top.t === 'op' && top.prec >= minPrec) apply(ops.pop()!);
      else if (top.t === ':' && minPrec <= 1) apply(ops.pop()!);
      else return;
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const next = tokens[i + 1];
    const near = () => `near ${quote(text.slice(tok.pos, tok.pos + 12))} (position ${tok.pos + 1})`;
    if (tok.t === 'num' || tok.t === 'id') {
      const word = tok.text;
      const isCall = next?.t === 'sym' && next.text === '(';
      if (
        tok.t === 'id' &&
        (word === 'and' || word === 'or' || (word === 'mod' && !(expectOperand && isCall)))
      ) {
        if (expectOperand) fail(`expected a value before ${quote(word)} ${near()}`);
        unwind(PREC[word]);
        ops.push({ t: 'op', op: word, prec: PREC[word], unary: false, pos: tok.pos });
        expectOperand = true;
        continue;
      }
      if (tok.t === 'id' && word === 'not') {
        if (!expectOperand) fail(`missing operator before "not" ${near()}`);
        ops.push({ t: 'op', op: 'not', prec: NOT_PREC, unary: true, pos: tok.pos });
        continue;
      }
      if (!expectOperand) {
        fail(`missing operator before ${quote(word)} ${near()} (write a*b for a product)`);
      }
      if (tok.t === 'num') {
        push(literal(word, fail), 1);
      } else if (isCall) {
        if (!Object.hasOwn(EXPRESSION_FUNCTIONS, word)) {
          fail(`unknown function ${quote(word)} (known: ${Object.keys(EXPRESSION_FUNCTIONS).join(', ')})`);
        }
        ops.push({ t: 'call', name: word, argc: 0, pos: tok.pos });
        i++; // the bracket
        continue; // still expecting an operand (or the closing bracket of an empty call)
      } else {
        const index = variable(word);
        if (index !== undefined) push({ kind: 'input', index, name: options.variables[index] }, 1);
        else if (word === 'pi' || word === 'PI') push({ kind: 'constant', name: 'pi' }, 1);
        else if (word === 'e' || word === 'E') push({ kind: 'constant', name: 'e' }, 1);
        else if (word === 'true' || word === 'false') push({ kind: 'boolean', value: word === 'true' }, 1);
        else if (Object.hasOwn(EXPRESSION_FUNCTIONS, word))
          fail(`the function ${quote(word)} needs (arguments)`);
        else fail(`unknown symbol ${quote(word)} (${options.hint}; constants pi and e)`);
      }
      expectOperand = false;
      continue;
    }
    const s = tok.text;
    if (s === '(') {
      if (!expectOperand) fail(`missing operator before "(" ${near()}`);
      ops.push({ t: 'paren', pos: tok.pos });
      continue;
    }
    if (s === ')' || s === ',') {
      const top0 = ops[ops.length - 1];
      if (s === ')' && expectOperand && top0?.t === 'call' && top0.argc === 0 && out.length >= 0) {
        // f(): no arguments
        const prev = tokens[i - 1];
        if (prev?.t === 'sym' && prev.text === '(') {
          ops.pop();
          callNode(top0, 0);
          expectOperand = false;
          continue;
        }
      }
      if (expectOperand) fail(`expected a value before ${quote(s)} ${near()}`);
      unwind(1);
      const top = ops[ops.length - 1];
      if (top === undefined) fail(`${quote(s)} without a matching "(" ${near()}`);
      if (top.t === '?') fail(`"?" without its ":" ${near()}`);
      if (s === ',') {
        if (top.t !== 'call') fail(`"," outside the arguments of a function ${near()}`);
        (top as { argc: number }).argc++;
        expectOperand = true;
        continue;
      }
      ops.pop();
      if (top.t === 'call') callNode(top, top.argc + 1);
      else {
        const a = pop();
        push(a.e, a.depth); // a bracketed comparison does not continue a chain
      }
      expectOperand = false;
      continue;
    }
    if (s === '?') {
      if (expectOperand) fail(`expected a condition before "?" ${near()}`);
      unwind(2);
      ops.push({ t: '?', pos: tok.pos });
      expectOperand = true;
      continue;
    }
    if (s === ':') {
      if (expectOperand) fail(`expected a value before ":" ${near()}`);
      unwind(2);
      // complete inner conditionals whose ":" came already
      while (ops[ops.length - 1]?.t === ':') apply(ops.pop()!);
      const top = ops[ops.length - 1];
      if (top?.t !== '?') fail(`":" without a "?" ${near()}`);
      ops[ops.length - 1] = { t: ':', pos: tok.pos };
      expectOperand = true;
      continue;
    }
    if (s === '!') {
      if (!expectOperand) fail(`missing operator before "!" ${near()}`);
      ops.push({ t: 'op', op: 'not', prec: NOT_PREC, unary: true, pos: tok.pos });
      continue;
    }
    if (expectOperand) {
      if (s === '-' || s === '+') {
        ops.push({ t: 'op', op: s, prec: UNARY_PREC, unary: true, pos: tok.pos });
        continue;
      }
      fail(tokens.length === 0 ? 'empty' : `expected a value before ${quote(s)} ${near()}`);
    }
    const op = s === '**' ? '^' : s === '&&' ? 'and' : s === '||' ? 'or' : s;
    const prec = PREC[op];
    // ^ is right-associative; every other binary operator is left-associative
    unwind(op === '^' ? prec + 1 : prec);
    ops.push({ t: 'op', op, prec, unary: false, pos: tok.pos });
    expectOperand = true;
  }
  if (expectOperand) fail('unexpected end of the expression');
  unwind(1);
  const rest = ops[ops.length - 1];
  if (rest !== undefined) {
    if (rest.t === '?') fail(`"?" without its ":" (position ${rest.pos + 1})`);
    fail(`missing ")" for the "(" at position ${rest.pos + (rest.t === 'call' ? rest.name.length : 0) + 1}`);
  }
  const tree = out[0].e;
  return { text, canonical: formatExpression(tree), tree, variables: options.variables };

  function callNode(frame: { name: string }, argc: number) {
    const name = frame.name as FunctionName;
    const [lo, hi] = EXPRESSION_FUNCTIONS[name];
    if (argc < lo || argc > hi) {
      const want =
        lo === hi ? `${lo}` : hi === Number.POSITIVE_INFINITY ? `at least ${lo}` : `${lo} or ${hi}`;
      fail(`${name} takes ${want} argument${want.endsWith(' 1') || want === '1' ? '' : 's'}, got ${argc}`);
    }
    const args = out.splice(out.length - argc, argc);
    push({ kind: 'call', name, args: args.map((a) => a.e) }, 1 + Math.max(0, ...args.map((a) => a.depth)));
  }
}

const BINARY_PREC: Record<BinaryOp, number> = { '+': 6, '-': 6, '*': 7, '/': 7, mod: 7, '^': 9 };

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'if':
      return 1;
    case 'logic':
      return e.op === 'or' ? 2 : 3;
    case 'not':
      return NOT_PREC;
    case 'compare':
      return 5;
    case 'binary':
      return BINARY_PREC[e.op];
    case 'neg':
      return UNARY_PREC;
    default:
      return 10;
  }
}

/**
 * The canonical text of a tree: single spaces around binary operators, brackets only where the
 * grammar needs them, literals as written. Parsing it gives the same tree.
 */
export function formatExpression(e: Expr): string {
  const wrap = (child: Expr, needs: boolean) =>
    needs ? `(${formatExpression(child)})` : formatExpression(child);
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'boolean':
      return String(e.value);
    case 'constant':
      return e.name;
    case 'input':
      return e.name;
    case 'neg':
      return `-${wrap(e.arg, precedence(e.arg) <= UNARY_PREC)}`;
    case 'not':
      return `not ${wrap(e.arg, precedence(e.arg) < NOT_PREC)}`;
    case 'call':
      return `${e.name}(${e.args.map((a) => formatExpression(a)).join(', ')})`;
    case 'if':
      return `${wrap(e.test, precedence(e.test) <= 1)} ? ${wrap(e.yes, precedence(e.yes) <= 1)} : ${formatExpression(e.no)}`;
    case 'compare':
      return `${wrap(e.left, precedence(e.left) <= 5)} ${e.op} ${wrap(e.right, precedence(e.right) <= 5)}`;
    case 'logic': {
      const p = precedence(e);
      return `${wrap(e.left, precedence(e.left) < p)} ${e.op} ${wrap(e.right, precedence(e.right) <= p)}`;
    }
    case 'binary': {
      const p = BINARY_PREC[e.op];
      if (e.op === '^') {
        return `${wrap(e.left, precedence(e.left) <= p)} ^ ${wrap(e.right, precedence(e.right) < UNARY_PREC)}`;
      }
      const { first, links } = chainOf(e);
      const parts = [wrap(first, precedence(first) < p)];
      for (const { op, right } of links) parts.push(op, wrap(right, precedence(right) <= p));
      return parts.join(' ');
    }
  }
}
