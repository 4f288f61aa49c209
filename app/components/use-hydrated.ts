import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and during hydration, true after: lets a form add what only JavaScript
 * handles (a fetcher marker) without a hydration mismatch. Before it is true, a click is a plain
 * form post, which is what a browser without JavaScript does anyway.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
