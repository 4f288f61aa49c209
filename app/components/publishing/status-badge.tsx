import { Badge, type BadgeTone } from "#app/components/badge.tsx";

export type PublicationStatus = "draft" | "published" | "withdrawn" | "superseded" | "discarded";

const STATUS: Record<PublicationStatus, { tone: BadgeTone; label: string }> = {
  draft: { tone: "amber", label: "Draft in review" },
  published: { tone: "green", label: "Published" },
  withdrawn: { tone: "red", label: "Unpublished" },
  superseded: { tone: "neutral", label: "Replaced by a newer version" },
  discarded: { tone: "neutral", label: "Discarded" },
};

/** A publication's status in words (the colour only repeats them). */
export function PublicationStatusBadge({ status }: { status: PublicationStatus }) {
  const { tone, label } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
