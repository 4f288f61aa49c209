import { Badge, type BadgeTone } from "#app/components/badge.tsx";
import { type ArticleType, TYPE_LABELS } from "#app/features/articles/schemas.ts";

const TONES: Record<ArticleType, BadgeTone> = { announcement: "amber", how_to: "green", knowledge: "brand", personal: "violet" };

/** What kind of article it is, as a labelled badge (the colour only repeats the words). */
export function ArticleTypeBadge({ type }: { type: ArticleType }) {
  return <Badge tone={TONES[type]}>{TYPE_LABELS[type]}</Badge>;
}

/** A draft or scheduled article's state, where its author sees it. */
export function ArticleStatusBadge({ status }: { status: "draft" | "scheduled" | "published" }) {
  if (status === "published") return null;
  return <Badge tone={status === "scheduled" ? "brand" : "neutral"}>{status === "scheduled" ? "Scheduled" : "Draft"}</Badge>;
}
