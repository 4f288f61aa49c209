import { NavLink } from "react-router";
import { useOptionalUser } from "#app/components/use-user.ts";

/**
 * The tabs every recognition page shares (kudos, badges, awards, rewards, and HR's insights for
 * HR and admins), under the "Recognition" entry of the main navigation.
 */
const TABS = [
  { to: "/kudos", label: "Kudos" },
  { to: "/badges", label: "Badges" },
  { to: "/awards", label: "Awards" },
  { to: "/rewards", label: "Rewards" },
] as const;

function tabClass({ isActive }: { isActive: boolean }) {
  return `inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium ${isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`;
}

export function RecognitionTabs() {
  const user = useOptionalUser();
  const insights = user && (user.role === "hr" || user.role === "admin");
  return (
    <nav aria-label="Recognition" className="mb-6 -mt-2">
      <ul className="flex flex-wrap gap-1 border-b border-slate-200 pb-2">
        {TABS.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to} className={tabClass}>
              {tab.label}
            </NavLink>
          </li>
        ))}
        {insights ? (
          <li>
            <NavLink to="/hr/recognition" className={tabClass}>
              Insights
            </NavLink>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
