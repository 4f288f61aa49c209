import { useEffect, useState } from "react";

/** One lookup: the JSON endpoint to ask, and how to turn its answer into suggestions. */
export type SuggestionLookup<Body, T> = { url: string; read: (body: Body) => T[] };

/**
 * Suggestions for a text field's datalist, fetched as the user types (the topic and person fields).
 * `lookup` turns the text into a request, or null when there is nothing to ask yet (the last
 * suggestions stay). It waits `delay` ms of quiet typing before asking, and newer text aborts the
 * older request. Keep `lookup` stable (module level or `useCallback`): a new one asks again.
 */
export function useSuggestions<Body, T>(text: string, lookup: (text: string) => SuggestionLookup<Body, T> | null, delay: number): T[] {
  const [suggestions, setSuggestions] = useState<T[]>([]);
  useEffect(() => {
    const request = lookup(text);
    if (!request) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(request.url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(async (response) => setSuggestions(response.ok ? request.read((await response.json()) as Body) : []))
        .catch(() => {
          // A failed or aborted lookup leaves the field as a plain text input.
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, lookup, delay]);
  return suggestions;
}
