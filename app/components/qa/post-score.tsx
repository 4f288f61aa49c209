/** A post's score as plain text, in the column where vote controls go. */
export function PostScore({ score }: { score: number }) {
  return (
    <p className="flex flex-col items-center text-slate-700">
      <span className="text-xl font-semibold tabular-nums">{score}</span>
      <span className="text-xs text-slate-500">{Math.abs(score) === 1 ? "vote" : "votes"}</span>
    </p>
  );
}
