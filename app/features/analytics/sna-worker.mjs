// @ts-check
/**
 * The SNA job's worker thread (job.server.ts starts it with resource limits): it gets the graph
 * as typed arrays, computes the graph figures (sna-kernel.mjs) off the main thread, and sends
 * them back with the most memory it held, sampled as it went: its heap, the arrays it made, and
 * the graph it was handed (buffers moved to a worker count in neither thread's figures).
 */
import { parentPort, workerData } from "node:worker_threads";
import { graphFigures } from "./sna-kernel.mjs";

const handed = workerData.a.byteLength + workerData.b.byteLength + workerData.w.byteLength + workerData.department.byteLength;
let peak = 0;
const sample = () => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.heapUsed + m.arrayBuffers + handed);
};
sample();
const out = graphFigures(workerData, (done) => {
  if (done % 8 === 0) sample();
});
sample();
parentPort?.postMessage({ ...out, peakBytes: peak }, [out.betweenness.buffer, out.interactions.buffer, out.ties.buffer, out.tiesOutside.buffer, out.departmentsReached.buffer]);
