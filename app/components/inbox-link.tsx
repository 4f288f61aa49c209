import { NavLink, href } from "react-router";

export const BellIcon = ({ className = "size-5" }: { className?: string }) => (
  <svg
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={1.75}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
    className={`shrink-0 ${className}`}
  >
    <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
);

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
      <BellIcon />
      {unread > 0 ? (
        <span aria-hidden="true" className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] leading-5 font-semibold text-white ring-2 ring-white">
          {unreadLabel(unread)}
        </span>
      ) : null}
    </NavLink>
  );
}
