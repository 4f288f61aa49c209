import { useEffect, useId, useState } from "react";
import { href } from "react-router";
import { useHydrated } from "./use-hydrated.ts";

const DEBOUNCE_MS = 350;

type PreviewState = { status: "idle" | "loading" | "ready" | "error"; html: string; error: string };

/**
 * What a markdown text will look like once saved, rendered by the server through the one markdown
 * module (`POST /api/preview`), a moment after the writer stops typing. Any editor can use it:
 * pass the text as it is typed (and, for a wiki page, the space's slug, so `[[links]]` resolve as
 * the save will). The region is aria-live="polite": a screen reader hears the preview when it
 * settles, not at every keystroke. Without JavaScript there is no preview, and it says so.
 */
export function MarkdownPreview({
  text,
  space,
  title = "Preview",
  headingLevel = 2,
  className = "",
}: {
  text: string;
  space?: string | undefined;
  title?: string;
  headingLevel?: 2 | 3;
  className?: string;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const hydrated = useHydrated();
  const headingId = useId();
  const [state, setState] = useState<PreviewState>({ status: "idle", html: "", error: "" });

  useEffect(() => {
    // An empty text shows the empty state (below) without asking the server.
    if (!hydrated || text.trim() === "") return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, status: "loading" }));
      fetch(href("/api/preview"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(space ? { text, space } : { text }),
        signal: controller.signal,
      })
        .then(async (response) => {
          const body = (await response.json().catch(() => ({}))) as { html?: unknown; error?: unknown };
          if (response.ok && typeof body.html === "string") setState({ status: "ready", html: body.html, error: "" });
          else setState((s) => ({ ...s, status: "error", error: typeof body.error === "string" ? body.error : "The preview is unavailable right now; your text is unaffected." }));
        })
        .catch((error: unknown) => {
          // A newer keystroke aborted this request; anything else leaves the last preview and says why.
          if (error instanceof DOMException && error.name === "AbortError") return;
          setState((s) => ({ ...s, status: "error", error: "The preview is unavailable right now; your text is unaffected." }));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, space, hydrated]);

  return (
    <section aria-labelledby={headingId} className={className}>
      <Heading id={headingId} className="text-sm font-medium text-slate-800">
        {title}
      </Heading>
      <div aria-live="polite" aria-busy={state.status === "loading"} className="mt-1 min-h-24 rounded-md border border-dashed border-slate-300 bg-white px-4 py-3">
        {!hydrated ? (
          <p className="text-sm text-slate-500">The preview appears here as you type (it needs JavaScript). Saving works without it.</p>
        ) : text.trim() === "" ? (
          <p className="text-sm text-slate-500">Nothing to preview yet.</p>
        ) : state.status === "error" ? (
          <p className="text-sm text-red-700">{state.error}</p>
        ) : state.html ? (
          // The server's HTML: rendered and sanitized by the markdown module, as stored text is.
          <div className="prose-commons" dangerouslySetInnerHTML={{ __html: state.html }} />
        ) : (
          <p className="text-sm text-slate-500">Rendering the preview…</p>
        )}
      </div>
    </section>
  );
}
