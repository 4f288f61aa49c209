/** Small deterministic random helpers for the data generator: the same seed gives the same company. */

export type Rng = () => number;

/** mulberry32: small, fast and deterministic (the demo seed and the generator share it). */
export function random(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** Exponentially distributed, with this mean. */
export const exponential = (rng: Rng, mean: number) => -Math.log(1 - rng()) * mean;

/** Draws 0..n-1 with probability proportional to 1 / (i + offset)^s. */
export function zipf(n: number, s: number, offset = 1): (rng: Rng) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + offset, s);
    cumulative[i] = total;
  }
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Knuth's method; fine for small means. */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

/** `count` distinct indices in 0..n-1, none of them in `exclude` (count is capped at what is available). */
export function sample(rng: Rng, n: number, count: number, exclude: ReadonlySet<number>): number[] {
  const wanted = Math.min(count, n - exclude.size);
  const chosen = new Set<number>();
  while (chosen.size < wanted) {
    const i = Math.floor(rng() * n);
    if (!exclude.has(i)) chosen.add(i);
  }
  return [...chosen];
}

/** Draws `count` distinct people from a pool with a skew (the same few vote most), none excluded. */
export function drawPeople(rng: Rng, pool: readonly number[], rank: (rng: Rng) => number, count: number, exclude: number): number[] {
  const available = pool.length - (pool.includes(exclude) ? 1 : 0);
  const wanted = Math.min(count, available);
  const chosen = new Set<number>();
  for (let tries = 0; chosen.size < wanted && tries < wanted * 20; tries++) {
    const p = pool[rank(rng)]!;
    if (p !== exclude) chosen.add(p);
  }
  // The skewed draw keeps hitting the same people in a small pool: fill up uniformly.
  for (let i = 0; chosen.size < wanted; i++) {
    const p = pool[i]!;
    if (p !== exclude) chosen.add(p);
  }
  return [...chosen];
}
