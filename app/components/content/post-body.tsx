/**
 * A post's stored HTML. It was rendered and sanitized against the allowlist when it was written
 * (app/lib/markdown.server.ts); nothing else may be passed here.
 */
export function PostBody({ html, className = "" }: { html: string; className?: string }) {
  return <div className={`prose-commons ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
