/** "1 answer", "2 answers", "1,204 views": a count with its noun, grouped the English way. */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}
