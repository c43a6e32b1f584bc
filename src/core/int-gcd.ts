/** Greatest common divisor of two safe integers (of their absolute values; intGcd(0, 0) = 0). */
export function intGcd(a: number, b: number): number {
  let p = Math.abs(a);
  let q = Math.abs(b);
  while (q !== 0) [p, q] = [q, p % q];
  return p;
}
