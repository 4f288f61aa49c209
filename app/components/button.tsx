import { Link, type LinkProps } from "react-router";

const VARIANTS = {
  primary: "bg-brand-600 text-white shadow-sm hover:bg-brand-700",
  secondary: "border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50",
  ghost: "text-slate-700 hover:bg-slate-100",
  danger: "bg-red-600 text-white shadow-sm hover:bg-red-700",
  dangerOutline: "border border-red-300 bg-white text-red-700 shadow-sm hover:bg-red-50",
} as const;

export type ButtonVariant = keyof typeof VARIANTS;

export function buttonClass(variant: ButtonVariant = "secondary", size: "sm" | "md" = "md"): string {
  const sizing = size === "sm" ? "gap-1.5 px-2.5 py-1.5 text-xs" : "gap-2 px-3.5 py-2 text-sm";
  return `inline-flex items-center justify-center rounded-md font-semibold transition-colors disabled:opacity-60 ${sizing} ${VARIANTS[variant]}`;
}

/** A link that looks like a button: for navigation only (actions are forms). */
export function ButtonLink({ variant = "secondary", size = "md", className = "", ...props }: LinkProps & { variant?: ButtonVariant; size?: "sm" | "md" }) {
  return <Link {...props} className={`${buttonClass(variant, size)} ${className}`} />;
}

/** A plain submit button for forms that carry an intent. */
export function Button({ variant = "secondary", size = "md", className = "", ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: "sm" | "md" }) {
  return <button type="submit" {...props} className={`${buttonClass(variant, size)} ${className}`} />;
}
