import { NavLink, href } from "react-router";
import { BellIcon } from "./icons.tsx";

/** "99+" above the count's cap (see UNREAD_COUNT_CAP). */
export function unreadLabel(count: number): string {
  return count > 99 ? "99+" : String(count);
}

/** The bell in the header: its accessible name says how many are unread ("Inbox, 3 unread"). */
export function InboxLink({ unread }: { unread: number }) {
  const label = unread > 0 ? `Inbox, ${unreadLabel(unread)} unread` : "Inbox";
  return (
    <NavLink
      to={href("/notifications")}
      aria-label={label}
      title={label}
      className={({ isActive }) =>
        `relative inline-flex size-10 items-center justify-center rounded-full transition-colors ${isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`
      }
    >
      <BellIcon className="size-5" />
      {unread > 0 ? (
        <span aria-hidden="true" className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] leading-5 font-semibold text-white ring-2 ring-white">
          {unreadLabel(unread)}
        </span>
      ) : null}
    </NavLink>
  );
}
