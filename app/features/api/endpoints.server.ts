import type { AnyEndpoint } from "./endpoint.server.ts";
import { ideaEndpoints } from "./resources/ideas.server.ts";
import { kudosEndpoints } from "./resources/kudos.server.ts";
import { pageEndpoints } from "./resources/pages.server.ts";
import { peopleEndpoints } from "./resources/people.server.ts";
import { questionEndpoints } from "./resources/questions.server.ts";
import { searchEndpoints } from "./resources/search.server.ts";
import { tagEndpoints } from "./resources/tags.server.ts";

/**
 * Every endpoint of `/api/v1`, in the order the reference lists them: the router serves this list
 * and the OpenAPI document is generated from it, so an endpoint added to a resource's array is
 * served, documented and covered by the contract test at once.
 */
export const apiEndpoints: readonly AnyEndpoint[] = [...questionEndpoints, ...searchEndpoints, ...tagEndpoints, ...ideaEndpoints, ...kudosEndpoints, ...pageEndpoints, ...peopleEndpoints];
