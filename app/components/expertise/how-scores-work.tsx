import type { OwnExpertise } from "#app/features/expertise/topics.server.ts";
import { EVIDENCE_KINDS } from "#app/features/expertise/model.ts";
import { CardSection } from "#app/components/card.tsx";
import { EVIDENCE_KIND_LABELS, formatNumber, formatPercent } from "./kinds.ts";

/** The model in plain words, with the numbers the admins have set (the weights, the half-life, k). */
export function HowScoresWork({ settings }: { settings: OwnExpertise["settings"] }) {
  const k = settings.confidenceK;
  const share = (n: number) => formatPercent(n / (n + k));
  return (
    <CardSection title="How your scores are made" titleId="how-scores-work">
      <ul className="list-disc space-y-2 pl-5 text-sm text-slate-700">
        <li>Each piece of evidence on a topic (a tag) has a weight that depends on its kind; the weights are below.</li>
        <li>
          Evidence loses half its weight every {settings.halfLifeDays.toLocaleString("en")} days: an answer of weight 1 from {settings.halfLifeDays.toLocaleString("en")} days ago counts 0.5
          today, and 0.25 after as long again.
        </li>
        <li>A topic&apos;s score is what is left of its evidence, added up.</li>
        <li>
          The confidence grows with the number of pieces of evidence, n ÷ (n + {formatNumber(k)}): 1 piece gives {share(1)}, 3 give {share(3)}, 9 give {share(9)}.
        </li>
        <li>People are ranked on a topic by score × confidence; a skill you declared adds {formatNumber(settings.weights.declared)}, the least of anything.</li>
        <li>
          Only evidence in spaces you can see is counted here. Colleagues see only the evidence in spaces they can see, and never a topic you hide. Hiding or declaring shows on your profile
          at once; the experts page and search catch up within a minute.
        </li>
      </ul>
      <h3 className="mt-5 text-sm font-semibold text-slate-900">Weights</h3>
      <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        {EVIDENCE_KINDS.map((kind) => (
          <div key={kind} className="flex justify-between gap-3 border-b border-slate-100 py-1">
            <dt className="text-slate-700">{EVIDENCE_KIND_LABELS[kind]}</dt>
            <dd className="font-medium text-slate-900 tabular-nums">{formatNumber(settings.weights[kind])}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-500">Upvotes on an answer count once per net vote.</p>
    </CardSection>
  );
}
