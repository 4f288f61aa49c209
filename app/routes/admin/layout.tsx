import { NavLink, Outlet, href } from "react-router";
import type { Route } from "./+types/layout";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { MailIcon, SearchIcon, SpacesIcon, StarIcon, UsersIcon } from "#app/components/icons.tsx";
// @admin-expertise-tab
import { CompassIcon } from "#app/components/icons.tsx";
// @admin-publishing-tab
import { GlobeIcon } from "#app/components/icons.tsx";
// @admin-forum-tab
import { AlertIcon } from "#app/components/icons.tsx";
// @admin-integrations-tab
import { LinkIcon } from "#app/components/icons.tsx";
// @admin-audit-tab
import { ShieldIcon } from "#app/components/icons.tsx";

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  return null;
}

function tabClass({ isActive }: { isActive: boolean }) {
  return `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

export default function AdminLayout() {
  return (
    <>
      <div className="mb-8 border-b border-slate-200">
        <p className="mb-3 text-xs font-semibold tracking-wider text-slate-500 uppercase">Administration</p>
        <nav aria-label="Admin">
          <ul className="flex flex-wrap gap-x-6 gap-y-2">
            <li>
              <NavLink to={href("/admin/users")} className={tabClass}>
                <UsersIcon />
                People
              </NavLink>
            </li>
            <li>
              <NavLink to={href("/admin/spaces")} className={tabClass}>
                <SpacesIcon />
                Spaces
              </NavLink>
            </li>
            <li>
              <NavLink to={href("/admin/reputation")} className={tabClass}>
                <StarIcon />
                Reputation
              </NavLink>
            </li>
            <li>
              <NavLink to={href("/admin/search")} className={tabClass}>
                <SearchIcon />
                Search
              </NavLink>
            </li>
            <li>
              <NavLink to={href("/admin/mail")} className={tabClass}>
                <MailIcon />
                Mail
              </NavLink>
            </li>
            <li>
              <NavLink to={href("/admin/recognition")} className={tabClass}>
                <StarIcon />
                Recognition
              </NavLink>
            </li>
            {/* @admin-expertise-tab */}
            <li>
              <NavLink to={href("/admin/expertise")} className={tabClass}>
                <CompassIcon />
                Expertise
              </NavLink>
            </li>
            {/* @admin-publishing-tab: the confidentiality scan's addresses and term lists (issue 19). */}
            <li>
              <NavLink to={href("/admin/publishing")} className={tabClass}>
                <GlobeIcon />
                Publishing
              </NavLink>
            </li>
            {/* @admin-forum-tab: the public forum's escalation rules and SLAs (issue 20). */}
            <li>
              <NavLink to={href("/admin/forum")} className={tabClass}>
                <AlertIcon />
                Forum
              </NavLink>
            </li>
            {/* @admin-integrations-tab: webhooks, chat, outgoing allowlist, SCIM (issue 21). */}
            <li>
              <NavLink to={href("/admin/integrations")} className={tabClass}>
                <LinkIcon />
                Integrations
              </NavLink>
            </li>
            {/* @admin-audit-tab: the append-only audit log (issue 23). */}
            <li>
              <NavLink to={href("/admin/audit")} className={tabClass}>
                <ShieldIcon />
                Audit log
              </NavLink>
            </li>
          </ul>
        </nav>
      </div>
      <Outlet />
    </>
  );
}
