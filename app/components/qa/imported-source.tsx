/**
 * The credit an imported post carries, as its licence asks (CC BY-SA: the author, a link to the
 * source, the licence): "Imported from beer.stackexchange.com — written by hopsfan, licensed
 * CC BY-SA 3.0". Only http(s) links are ever made; anything else shows as text.
 */

export type PostSource = { url: string | null; author: string | null; license: string | null };

/** A source URL safe to link to, or null. */
export function safeSourceUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  // A stored URL that does not parse is shown as text rather than linked.
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
}

/** "CC BY-SA 3.0" (in any spelling: "cc-by-sa-4.0", "CC BY-SA 4.0") and the licence deed; other licences as written. */
export function licenseLink(license: string): { label: string; url: string | null } {
  const match = /^\s*cc[\s-]*by[\s-]*sa[\s-]*(\d\.\d)\s*$/i.exec(license);
  if (!match) return { label: license.trim(), url: null };
  const version = match[1]!;
  return { label: `CC BY-SA ${version}`, url: `https://creativecommons.org/licenses/by-sa/${version}/` };
}

const link = "font-medium text-brand-700 underline hover:text-brand-800";

export function ImportedSource({ source }: { source: PostSource | null | undefined }) {
  if (!source?.url) return null;
  const url = safeSourceUrl(source.url);
  const site = url ? new URL(url).hostname : source.url;
  const license = source.license ? licenseLink(source.license) : null;
  return (
    <p className="mt-4 text-sm text-slate-600" data-imported-source="">
      Imported from{" "}
      {url ? (
        <a href={url} className={link} rel="noopener noreferrer nofollow">
          {site}
        </a>
      ) : (
        site
      )}
      {source.author ? <> — written by {source.author}</> : null}
      {license ? (
        <>
          , licensed{" "}
          {license.url ? (
            <a href={license.url} className={link} rel="license noopener noreferrer">
              {license.label}
            </a>
          ) : (
            license.label
          )}
        </>
      ) : null}
    </p>
  );
}
