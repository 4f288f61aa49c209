import { z } from "zod";

/**
 * The auth forms' schemas, shared by the route actions and (where useful) the browser. Rules that
 * need the server (allowed domains, "email already taken", the current password) live in the
 * *.server.ts features.
 */

/** Messages the pages also recognise (to add a link to one, for instance). */
export const AUTH_MESSAGES = {
  wrongCredentials: "Email or password is wrong",
  deactivated: "This account is deactivated. Ask an administrator.",
  wrongCurrentPassword: "That is not your current password",
  currentPasswordRequired: "Enter your current password",
  passwordIsEmail: "Your password cannot be your email address",
} as const;

export const PASSWORD_MIN = 12;
/** What the password fields say under them, on sign-up and on the password page alike. */
export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters. A few unrelated words make a strong, memorable password.`;
export const PASSWORD_MAX = 256;

/** How long after an SSO sign-in an account without a password may set one (the settings page says so). */
export const SSO_REAUTH_MINUTES = 10;

// The most common passwords in public breach corpora. None is 12 characters long, so the check
// below also catches them padded with digits or symbols ("password1234") or repeated.
const COMMON_PASSWORDS = [
  "123456",
  "123456789",
  "12345678",
  "password",
  "qwerty123",
  "qwerty1",
  "111111",
  "12345",
  "secret",
  "123123",
  "1234567890",
  "1234567",
  "000000",
  "qwerty",
  "abc123",
  "password1",
  "iloveyou",
  "11111111",
  "dragon",
  "monkey",
] as const;

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (/^(.)\1*$/su.test(p)) return true;
  return COMMON_PASSWORDS.some((common) => {
    if (p.startsWith(common) && /^[\d\W_]*$/u.test(p.slice(common.length))) return true;
    return p.length % common.length === 0 && common.repeat(p.length / common.length) === p;
  });
}

export const EmailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .min(1, { error: "Enter your email address" })
  .max(254, { error: "That email address is too long" })
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com" }))
  // ".invalid" can never receive mail (RFC 2606); imported profiles that cannot sign in use it.
  .refine((email) => !email.endsWith(".invalid"), { error: "That address cannot receive email: use your own address" });

export const NewPasswordSchema = z
  .string({ error: "Choose a password" })
  .min(1, { error: "Choose a password" })
  .min(PASSWORD_MIN, { error: `Use at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { error: `Use at most ${PASSWORD_MAX} characters` })
  .refine((p) => !isCommonPassword(p), { error: "This password is too common. Try a short phrase of a few unrelated words." });

/** Only a path on this site: "/x" but not "//evil.example" or "/\evil.example". */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // Control characters (a smuggled newline or tab) have no place in a path of ours.
  if ([...to].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fallback;
  return to;
}

const RedirectToSchema = z.preprocess((v) => safeRedirect(v), z.string());

export const SignUpSchema = z
  .object({
    name: z.string({ error: "Enter your name" }).trim().min(1, { error: "Enter your name" }).max(100, { error: "Use at most 100 characters" }),
    email: EmailSchema,
    password: NewPasswordSchema,
    redirectTo: RedirectToSchema,
  })
  .refine((v) => v.password.toLowerCase() !== v.email, { path: ["password"], error: AUTH_MESSAGES.passwordIsEmail });

export const SignInSchema = z.object({
  email: z.string({ error: "Enter your email address" }).trim().toLowerCase().min(1, { error: "Enter your email address" }).max(254, { error: "Email or password is wrong" }),
  password: z.string({ error: "Enter your password" }).min(1, { error: "Enter your password" }).max(PASSWORD_MAX, { error: "Email or password is wrong" }),
  redirectTo: RedirectToSchema,
});

/** Forgot password, and asking for a new confirmation link: only the address. */
export const EmailOnlySchema = z.object({ email: EmailSchema });

export const ResetPasswordSchema = z.object({ newPassword: NewPasswordSchema });

export const ChangePasswordSchema = z.object({
  currentPassword: z.string().max(PASSWORD_MAX).optional(),
  newPassword: NewPasswordSchema,
});

export type SignUpInput = z.output<typeof SignUpSchema>;
export type SignInInput = Pick<z.output<typeof SignInSchema>, "email" | "password">;
