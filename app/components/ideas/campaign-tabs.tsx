import { NavLink, href } from "react-router";

function tabClass({ isActive }: { isActive: boolean }) {
  return `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

/** The campaign's sections: its ideas, the roadmap and the results. Every section is readable by everyone who sees the campaign. */
export function CampaignTabs({ campaignId }: { campaignId: number }) {
  const id = String(campaignId);
  return (
    <nav aria-label="Campaign" className="mb-6 border-b border-slate-200">
      <ul className="flex gap-6">
        <li>
          <NavLink end to={href("/campaigns/:campaignId", { campaignId: id })} className={tabClass}>
            Ideas
          </NavLink>
        </li>
        <li>
          <NavLink to={href("/campaigns/:campaignId/roadmap", { campaignId: id })} className={tabClass}>
            Roadmap
          </NavLink>
        </li>
        <li>
          <NavLink to={href("/campaigns/:campaignId/results", { campaignId: id })} className={tabClass}>
            Results
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
