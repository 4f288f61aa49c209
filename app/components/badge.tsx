import { BanIcon, GlobeIcon, LockIcon, ShieldIcon, StarIcon } from "./icons.tsx";

const TONES = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  brand: "bg-brand-50 text-brand-700 ring-brand-100",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  red: "bg-red-50 text-red-800 ring-red-200",
  violet: "bg-violet-50 text-violet-800 ring-violet-200",
} as const;

export type BadgeTone = keyof typeof TONES;

/** A short label. Always text (an icon may accompany it): colour is never the only signal. */
export function Badge({ tone = "neutral", icon, children }: { tone?: BadgeTone; icon?: React.ReactNode; children: React.ReactNode }) {
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      {icon}
      {children}
    </span>
  );
}

export function VisibilityBadge({ visibility }: { visibility: "open" | "restricted" }) {
  return visibility === "open" ? (
    <Badge tone="green" icon={<GlobeIcon className="size-3.5" />}>
      Open
    </Badge>
  ) : (
    <Badge tone="amber" icon={<LockIcon className="size-3.5" />}>
      Restricted
    </Badge>
  );
}

const ROLE_BADGES = {
  admin: { tone: "violet", label: "Admin" },
  hr: { tone: "brand", label: "HR" },
  moderator: { tone: "brand", label: "Moderator" },
  member: { tone: "neutral", label: "Member" },
} as const;

/** A site role; `hideMember` leaves plain members unlabelled where only the exceptions matter. */
export function RoleBadge({ role, hideMember = false }: { role: keyof typeof ROLE_BADGES; hideMember?: boolean }) {
  if (hideMember && role === "member") return null;
  const { tone, label } = ROLE_BADGES[role];
  return (
    <Badge tone={tone} icon={role === "admin" ? <ShieldIcon className="size-3.5" /> : undefined}>
      {label}
    </Badge>
  );
}

export function DeactivatedBadge() {
  return (
    <Badge tone="red" icon={<BanIcon className="size-3.5" />}>
      Deactivated
    </Badge>
  );
}

export function ModeratorBadge() {
  return (
    <Badge tone="brand" icon={<StarIcon className="size-3.5" />}>
      Moderator
    </Badge>
  );
}
