import { z } from "zod";

/** The "Edit profile" form. Every field is plain text: it is stored as typed and rendered escaped. */

export const BIO_MAX = 500;
// An email address is at most 254 characters, plus the handle's "@".
const MANAGER_MAX = 255;

// Control characters (except newlines and tabs in the bio) have no business in a profile.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const noControl = (s: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s);

const line = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} can be at most ${max} characters` })
    .refine((s) => !/[\r\n]/.test(s) && noControl(s), { error: `${label} must be a single line of plain text` });

export const ProfileSchema = z.object({
  name: line("Name", 100).min(1, { error: "Enter your name" }),
  title: line("Job title", 100).optional().default(""),
  department: line("Department", 100).optional().default(""),
  location: line("Location", 100).optional().default(""),
  bio: z
    .string()
    .overwrite((s) => s.replace(/\r\n/g, "\n"))
    .trim()
    .max(BIO_MAX, { error: `Keep your bio to ${BIO_MAX} characters` })
    .refine(noControl, { error: "Your bio must be plain text" })
    .optional()
    .default(""),
  // A colleague's handle (`@ada.lovelace`, or their whole address when the handle is shared), or
  // empty for no manager. Who it names is the feature's business: it needs the database.
  manager: line("Manager", MANAGER_MAX).optional().default(""),
});

export type ProfileInput = z.input<typeof ProfileSchema>;
export type Profile = z.output<typeof ProfileSchema>;
