import { initials } from "#app/lib/initials.ts";

// Soft tints that keep dark text readable (contrast well above 4.5:1).
const TINTS = [
  "bg-sky-100 text-sky-900",
  "bg-emerald-100 text-emerald-900",
  "bg-amber-100 text-amber-900",
  "bg-rose-100 text-rose-900",
  "bg-violet-100 text-violet-900",
  "bg-teal-100 text-teal-900",
  "bg-indigo-100 text-indigo-900",
  "bg-orange-100 text-orange-900",
] as const;

const SIZES = {
  xs: "size-6 text-[0.625rem]",
  sm: "size-8 text-xs",
  md: "size-10 text-sm",
  lg: "size-16 text-xl",
  xl: "size-24 text-3xl",
} as const;

function tintFor(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return TINTS[hash % TINTS.length]!;
}

/** A person's initials in a tinted circle. Decorative: the name is always written next to it. */
export function Avatar({ name, size = "md", className = "" }: { name: string; size?: keyof typeof SIZES; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={`inline-flex shrink-0 select-none items-center justify-center rounded-full font-semibold tracking-wide ring-2 ring-white ${tintFor(name)} ${SIZES[size]} ${className}`}
    >
      {initials(name)}
    </span>
  );
}
