import type { ReputationPoint } from "./profile.server.ts";

/**
 * The reputation-over-time chart as plain geometry, computed in the loader: an SVG path, axis
 * labels and a monthly table for the text alternative. No chart library; the page ships a path
 * string rather than 365 points.
 */

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 160;
const PAD = { left: 44, right: 8, top: 10, bottom: 22 };

const monthName = new Intl.DateTimeFormat("en", { month: "short", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

export type ReputationChart = {
  line: string;
  area: string;
  xTicks: Array<{ x: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
  first: number;
  last: number;
  months: Array<{ month: string; change: number; total: number }>;
};

export function reputationChart(points: ReputationPoint[]): ReputationChart {
  const values = points.map((p) => p.total);
  const min = Math.min(0, ...values);
  const max = Math.max(min + 10, ...values);
  const innerW = CHART_WIDTH - PAD.left - PAD.right;
  const innerH = CHART_HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - ((v - min) / (max - min)) * innerH;
  const round = (n: number) => Math.round(n * 10) / 10;
  const line = points.map((p, i) => `${i === 0 ? "M" : "L"}${round(x(i))},${round(y(p.total))}`).join("");
  const baseline = round(y(Math.max(min, 0)));
  const area = points.length > 0 ? `${line}L${round(x(points.length - 1))},${baseline}L${round(x(0))},${baseline}Z` : "";

  const xTicks: ReputationChart["xTicks"] = [];
  const months = new Map<string, { month: string; change: number; total: number }>();
  let previous = values[0] ?? 0;
  points.forEach((p, i) => {
    const date = new Date(`${p.day}T00:00:00Z`);
    if (date.getUTCDate() === 1) xTicks.push({ x: round(x(i)), label: monthName.format(date) });
    const key = p.day.slice(0, 7);
    const entry = months.get(key) ?? { month: monthYear.format(date), change: 0, total: p.total };
    entry.change += i === 0 ? 0 : p.total - previous;
    entry.total = p.total;
    months.set(key, entry);
    previous = p.total;
  });
  const yTicks = [min, Math.round((min + max) / 2), max].map((v) => ({ y: round(y(v)), label: v.toLocaleString("en") }));
  return { line, area, xTicks, yTicks, first: values[0] ?? 0, last: values.at(-1) ?? 0, months: [...months.values()] };
}
