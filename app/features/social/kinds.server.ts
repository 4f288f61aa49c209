/**
 * Every registered kind of content, for server code that uses the registry. Importing this module
 * (instead of registry.server.ts) is what guarantees each kind has called `registerKind` before the
 * first lookup. Kind modules themselves import registry.server.ts: importing this file from one
 * of them would be an import cycle.
 */
import "#app/features/qa/kinds.server.ts";
import "#app/features/ideas/kind.server.ts";
// @wiki-kind
import "#app/features/wiki/kind.server.ts";
// @article-kind
import "#app/features/articles/kind.server.ts";
// @kudos-kind
import "#app/features/recognition/kudos-kind.server.ts";
// @badge-kind
import "#app/features/recognition/badge-kind.server.ts";
// @reward-kind
import "#app/features/recognition/reward-kind.server.ts";
// @award-kind
import "#app/features/recognition/award-kind.server.ts";

export { describeItems, kindDefinition, loadItem } from "./registry.server.ts";
export type { ItemAccess, ItemSummary, KindDefinition, VoteOutcome, VoteValue } from "./registry.server.ts";
