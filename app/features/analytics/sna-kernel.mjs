// @ts-check
/**
 * The people analytics' graph arithmetic (docs/people-analytics.md): the interaction graph held as
 * flat arrays, a seeded sample of Brandes' betweenness, and how far each person's ties reach
 * across departments.
 *
 * Plain JavaScript on purpose: the SNA job runs it in a worker thread (sna-worker.mjs), and a
 * worker loads a file by its path, in the tests, under tsx and beside the bundled server alike,
 * where no TypeScript loader exists. sna-kernel.d.mts gives its types to the TypeScript side.
 *
 * The graph is compressed sparse rows (CSR): person i's colleagues are
 * `neighbors[starts[i] .. starts[i + 1])`. A graphology Graph keeps an object per edge (about 250
 * bytes); at the scale (10,000 people, 1.36 million pairs who interacted) that was 330 MB
 * of heap and 26 s to build, against 12 bytes per pair here. The tests check these results
 * against graphology-metrics on small graphs.
 */

/**
 * A small, fast, seeded random generator (mulberry32): the same seed picks the same sources, so
 * a run can be repeated exactly.
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1)
 */
export function seededRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The undirected graph as CSR from its list of pairs (a[e], b[e]) with weights w[e] (how many
 * interactions the pair had). Each pair appears once; self-pairs are skipped.
 * @param {number} n
 * @param {Int32Array} a
 * @param {Int32Array} b
 * @param {Int32Array} w
 * @returns {{ n: number; starts: Int32Array; neighbors: Int32Array; interactions: Int32Array }}
 */
export function buildCsr(n, a, b, w) {
  const degree = new Int32Array(n);
  const interactions = new Int32Array(n);
  const edges = a.length;
  for (let e = 0; e < edges; e++) {
    const x = a[e],
      y = b[e];
    if (x === y) continue;
    degree[x]++;
    degree[y]++;
    interactions[x] += w[e];
    interactions[y] += w[e];
  }
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) starts[i + 1] = starts[i] + degree[i];
  const neighbors = new Int32Array(starts[n]);
  // `degree` becomes each row's fill pointer.
  for (let i = 0; i < n; i++) degree[i] = starts[i];
  for (let e = 0; e < edges; e++) {
    const x = a[e],
      y = b[e];
    if (x === y) continue;
    neighbors[degree[x]++] = y;
    neighbors[degree[y]++] = x;
  }
  return { n, starts, neighbors, interactions };
}

/**
 * Betweenness centrality, Brandes' algorithm (2001) run from `samples` sources picked at random
 * with `seed` instead of from every person, scaled by n / samples: an unbiased estimate (Brandes
 * and Pich, 2007) whose cost grows with the sample, not with the company. With samples >= n every
 * person is a source and the result is exact. Paths are counted in hops: how often two people
 * interacted does not make a path between others shorter. Normalized as graphology-metrics does
 * for undirected graphs, by (n - 1)(n - 2), so 1 means "on every shortest path".
 *
 * Predecessors are not stored (they would be a list per person per source): the accumulation
 * finds them again as the neighbours one hop nearer the source.
 * @param {{ n: number; starts: Int32Array; neighbors: Int32Array }} csr
 * @param {{ samples: number; seed: number; onSource?: (done: number) => void }} options
 * @returns {{ betweenness: Float64Array; sources: number }}
 */
export function sampledBetweenness(csr, options) {
  const { n, starts, neighbors } = csr;
  const betweenness = new Float64Array(n);
  if (n < 3) return { betweenness, sources: 0 };
  const k = Math.min(Math.max(1, Math.floor(options.samples)), n);
  // k distinct sources: the first k of a seeded partial Fisher-Yates shuffle.
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (k < n) {
    const random = seededRandom(options.seed);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (n - i));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  const distance = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const queue = new Int32Array(n);
  for (let s = 0; s < k; s++) {
    const source = order[s];
    distance[source] = 0;
    sigma[source] = 1;
    queue[0] = source;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = queue[head++];
      const next = distance[v] + 1;
      const sv = sigma[v];
      for (let j = starts[v], end = starts[v + 1]; j < end; j++) {
        const u = neighbors[j];
        if (distance[u] < 0) {
          distance[u] = next;
          queue[tail++] = u;
        }
        if (distance[u] === next) sigma[u] += sv;
      }
    }
    // Back from the farthest: everyone one hop nearer the source is a predecessor.
    for (let i = tail - 1; i > 0; i--) {
      const u = queue[i];
      const coefficient = (1 + delta[u]) / sigma[u];
      const before = distance[u] - 1;
      for (let j = starts[u], end = starts[u + 1]; j < end; j++) {
        const v = neighbors[j];
        if (distance[v] === before) delta[v] += sigma[v] * coefficient;
      }
      betweenness[u] += delta[u];
    }
    for (let i = 0; i < tail; i++) {
      const u = queue[i];
      distance[u] = -1;
      sigma[u] = 0;
      delta[u] = 0;
    }
    options.onSource?.(s + 1);
  }
  const scale = n / k / ((n - 1) * (n - 2));
  for (let i = 0; i < n; i++) betweenness[i] *= scale;
  return { betweenness, sources: k };
}

/**
 * How far each person's ties reach: their distinct colleagues (`ties`), those in another
 * department than their own (`tiesOutside`), and how many other departments those are
 * (`departmentsReached`). `department[i]` is a department's index, or -1 for none given: a
 * colleague without one is never counted as another department, and for a person without one
 * every colleague with a department is.
 * @param {{ n: number; starts: Int32Array; neighbors: Int32Array }} csr
 * @param {Int32Array} department
 * @param {number} departments how many department indexes there are
 * @returns {{ ties: Int32Array; tiesOutside: Int32Array; departmentsReached: Int32Array }}
 */
export function departmentReach(csr, department, departments) {
  const { n, starts, neighbors } = csr;
  const ties = new Int32Array(n);
  const tiesOutside = new Int32Array(n);
  const departmentsReached = new Int32Array(n);
  // seen[d] = 1 + the last person whose colleagues counted department d.
  const seen = new Int32Array(Math.max(departments, 1));
  for (let i = 0; i < n; i++) {
    const own = department[i];
    ties[i] = starts[i + 1] - starts[i];
    let outside = 0;
    let reached = 0;
    for (let j = starts[i], end = starts[i + 1]; j < end; j++) {
      const d = department[neighbors[j]];
      if (d < 0 || d === own) continue;
      outside++;
      if (seen[d] !== i + 1) {
        seen[d] = i + 1;
        reached++;
      }
    }
    tiesOutside[i] = outside;
    departmentsReached[i] = reached;
  }
  return { ties, tiesOutside, departmentsReached };
}

/**
 * Everything the job asks of the graph, in one call (what the worker runs).
 * @param {import("./sna-kernel.d.mts").KernelInput} input
 * @param {(done: number) => void} [onSource]
 * @returns {import("./sna-kernel.d.mts").KernelOutput}
 */
export function graphFigures(input, onSource) {
  const csr = buildCsr(input.n, input.a, input.b, input.w);
  const { betweenness, sources } = sampledBetweenness(csr, { samples: input.samples, seed: input.seed, onSource });
  const reach = departmentReach(csr, input.department, input.departments);
  return { betweenness, sources, interactions: csr.interactions, ...reach };
}
