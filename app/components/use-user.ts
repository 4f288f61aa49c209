import { useRouteLoaderData } from "react-router";
import type { loader as rootLoader } from "../root.tsx";

/** The signed-in user's summary from the root loader, or null (signed out, or the root loader failed). */
export function useOptionalUser() {
  return useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
}

/** The request id of the current page, to quote when something goes wrong. */
export function useRequestId(): string | null {
  return useRouteLoaderData<typeof rootLoader>("root")?.requestId ?? null;
}
