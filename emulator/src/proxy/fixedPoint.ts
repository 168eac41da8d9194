// Decimal formatting that agrees digit for digit with C's and Go's "%.Nf": the exact binary
// value, rounded half to even. JavaScript's toFixed rounds ties upwards, which differs for
// values such as 1/2048, so kube-proxy's probabilities and iptables-save's are printed here.

/** num/den (den > 0, num >= 0) with `digits` decimals, ties to even. */
export function formatRationalFixed(num: bigint, den: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  let q = (num * scale) / den;
  const r = (num * scale) % den;
  if (2n * r > den || (2n * r === den && q % 2n === 1n)) q += 1n;
  const text = q.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A finite, non-negative double as "%.Nf" prints it. */
export function formatDoubleFixed(value: number, digits: number): string {
  if (!Number.isFinite(value) || value < 0) return value.toFixed(digits);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  if (exponent >= 0) return formatRationalFixed(mantissa << BigInt(exponent), 1n, digits);
  return formatRationalFixed(mantissa, 1n << BigInt(-exponent), digits);
}

/**
 * The kernel's view of a statistic probability: xt_statistic stores round(p * 2^31) and
 * matches when a random 31-bit number is below it.
 */
export function probabilityToU31(text: string): number {
  const p = Number(text);
  if (!Number.isFinite(p) || p <= 0) return 0;
  if (p >= 1) return 0x80000000;
  return Math.round(p * 0x80000000);
}
