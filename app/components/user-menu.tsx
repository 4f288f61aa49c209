import { useEffect, useRef } from "react";
import { Form, Link, href, useLocation } from "react-router";
import type { UserSummary } from "#app/features/users/actor.server.ts";
import { Avatar } from "./avatar.tsx";
import { ChevronDownIcon, KeyIcon, LogOutIcon, MailIcon, PencilIcon, UserIcon } from "./icons.tsx";
// @publishing-menu
import { GlobeIcon } from "./icons.tsx";

const itemClass = "flex w-full items-center gap-3 rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900";

/**
 * The account menu: a native <details> disclosure, so it opens with Enter/Space and works before
 * JavaScript loads. With JavaScript it also closes on Escape, on a click outside and on navigation.
 */
export function UserMenu({ user }: { user: UserSummary }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.key]);

  useEffect(() => {
    function onPointerDown(event: PointerEvent) {
      const details = ref.current;
      if (details?.open && !details.contains(event.target as Node)) details.open = false;
    }
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, []);

  function onKeyDown(event: React.KeyboardEvent<HTMLDetailsElement>) {
    if (event.key === "Escape" && ref.current?.open) {
      ref.current.open = false;
      ref.current.querySelector("summary")?.focus();
    }
  }

  const employee = user.kind === "employee";
  return (
    <details ref={ref} className="group relative" onKeyDown={onKeyDown}>
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm font-medium text-slate-700 hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
        <Avatar name={user.name} size="sm" />
        <span className="sr-only">Account menu for </span>
        <span className="max-w-40 truncate max-sm:sr-only">{user.name}</span>
        <ChevronDownIcon className="size-4 text-slate-500 transition-transform group-open:rotate-180" />
      </summary>
      <div className="absolute right-0 z-30 mt-2 w-64 origin-top-right rounded-xl border border-slate-200 bg-white p-1.5 shadow-lg shadow-slate-900/10">
        <div className="flex items-center gap-3 px-3 py-2.5">
          <Avatar name={user.name} size="md" />
          <div className="min-w-0">
            <p className="truncate text-sm font-semibold text-slate-900">{user.name}</p>
            <p className="text-xs text-slate-500">{employee ? "Signed in" : "Customer account"}</p>
          </div>
        </div>
        <div className="my-1 border-t border-slate-100" />
        {employee ? (
          <ul>
            <li>
              <Link to={href("/people/:userId", { userId: String(user.id) })} className={itemClass}>
                <UserIcon className="size-4 text-slate-500" />
                Your profile
              </Link>
            </li>
            <li>
              <Link to={href("/settings/profile")} className={itemClass}>
                <PencilIcon className="size-4 text-slate-500" />
                Edit profile
              </Link>
            </li>
            <li>
              <Link to={href("/settings/password")} className={itemClass}>
                <KeyIcon className="size-4 text-slate-500" />
                Change password
              </Link>
            </li>
            {/* @integrations-menu (issue 21): mail per kind of notification, and personal access tokens. */}
            <li>
              <Link to="/settings/notifications" className={itemClass}>
                <MailIcon className="size-4 text-slate-500" />
                Mail settings
              </Link>
            </li>
            <li>
              <Link to="/settings/tokens" className={itemClass}>
                <KeyIcon className="size-4 text-slate-500" />
                API tokens
              </Link>
            </li>
            {/* @publishing-menu: drafts for the public forum and customer feedback (issue 19); the main nav is full. */}
            <li>
              <Link to={href("/publications")} className={itemClass}>
                <GlobeIcon className="size-4 text-slate-500" />
                Publishing
              </Link>
            </li>
            {/* @forum-desk-menu: customer questions, escalations, live sessions and share kits (issue 20). */}
            <li>
              <Link to="/forum/queue" className={itemClass}>
                <GlobeIcon className="size-4 text-slate-500" />
                Forum desk
              </Link>
            </li>
          </ul>
        ) : null}
        {employee ? <div className="my-1 border-t border-slate-100" /> : null}
        <Form method="post" action={href("/sign-out")} reloadDocument>
          <button type="submit" className={itemClass}>
            <LogOutIcon className="size-4 text-slate-500" />
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}
