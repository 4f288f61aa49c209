import { Badge } from "#app/components/badge.tsx";
import { absoluteDate } from "#app/lib/time.ts";

export type AvailabilityView = { active: boolean; routingOptOut: boolean; awayUntil: Date | string | null };

/**
 * Whether routed questions reach someone, in words: opting out wins over being away (it has no
 * end), and "away" is only shown while it lasts. Null for a deactivated account.
 */
export function availabilityLabel(a: AvailabilityView): string | null {
  if (!a.active) return null;
  if (a.routingOptOut) return "Not taking routed questions";
  if (a.awayUntil) return `Away until ${absoluteDate(a.awayUntil)}`;
  return "Open to questions";
}

export function AvailabilityBadge({ availability }: { availability: AvailabilityView }) {
  const label = availabilityLabel(availability);
  if (!label) return null;
  const tone = availability.routingOptOut ? "neutral" : availability.awayUntil ? "amber" : "green";
  return <Badge tone={tone}>{label}</Badge>;
}
