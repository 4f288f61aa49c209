/** Types of sna-kernel.mjs (plain JavaScript so a worker thread can load it anywhere). */

export type Csr = { n: number; starts: Int32Array; neighbors: Int32Array; interactions: Int32Array };

/** The graph as the job loads it: person indexes 0..n-1, each pair once with its interaction count. */
export type KernelInput = {
  n: number;
  a: Int32Array;
  b: Int32Array;
  w: Int32Array;
  /** Each person's department index, -1 for none. */
  department: Int32Array;
  departments: number;
  samples: number;
  seed: number;
};

export type KernelOutput = {
  betweenness: Float64Array;
  sources: number;
  interactions: Int32Array;
  ties: Int32Array;
  tiesOutside: Int32Array;
  departmentsReached: Int32Array;
};

export function seededRandom(seed: number): () => number;
export function buildCsr(n: number, a: Int32Array, b: Int32Array, w: Int32Array): Csr;
export function sampledBetweenness(
  csr: Pick<Csr, "n" | "starts" | "neighbors">,
  options: { samples: number; seed: number; onSource?: (done: number) => void },
): { betweenness: Float64Array; sources: number };
export function departmentReach(
  csr: Pick<Csr, "n" | "starts" | "neighbors">,
  department: Int32Array,
  departments: number,
): { ties: Int32Array; tiesOutside: Int32Array; departmentsReached: Int32Array };
export function graphFigures(input: KernelInput, onSource?: (done: number) => void): KernelOutput;
