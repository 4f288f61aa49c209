import { NavLink } from "react-router";

/**
 * The forum desk's tabs (issue 20): where employees work what customers ask on the public forum,
 * the hot issues, live sessions and the share kits. Each page still checks its own rights; a tab a
 * reader may not use is left out by the `show` flags its loader passes.
 */
export type DeskTab = "queue" | "moderation" | "escalations" | "dashboard" | "responders" | "sessions" | "share";

const TABS: Array<{ tab: DeskTab; to: string; label: string }> = [
  { tab: "queue", to: "/forum/queue", label: "Customer questions" },
  { tab: "moderation", to: "/forum/moderation", label: "Moderation" },
  { tab: "escalations", to: "/forum/escalations", label: "Escalations" },
  { tab: "dashboard", to: "/forum/dashboard", label: "Dashboard" },
  { tab: "responders", to: "/forum/responders", label: "Responders and SLAs" },
  { tab: "sessions", to: "/sessions", label: "Live sessions" },
  { tab: "share", to: "/share", label: "Share kits" },
];

function tabClass({ isActive }: { isActive: boolean }) {
  return `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

/** `hide`: tabs this reader has no use for (moderation tabs for a plain member). */
export function ForumDeskNav({ hide = [] }: { hide?: readonly DeskTab[] }) {
  return (
    <div className="mb-8 border-b border-slate-200">
      <p className="mb-3 text-xs font-semibold tracking-wider text-slate-500 uppercase">Public forum desk</p>
      <nav aria-label="Forum desk">
        <ul className="flex flex-wrap gap-x-6 gap-y-2">
          {TABS.filter((t) => !hide.includes(t.tab)).map((t) => (
            <li key={t.tab}>
              <NavLink to={t.to} className={tabClass} end={t.tab === "sessions" || t.tab === "share" ? false : undefined}>
                {t.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
