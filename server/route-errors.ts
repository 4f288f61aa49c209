import type { ServerBuild } from "react-router";
import { errorResponse } from "../app/lib/errors.ts";

/**
 * The React Router build with every route's loader and action answering a NotFoundError or a
 * ForbiddenError that escapes it as a 404 or a 403 (app/lib/errors.ts): features throw the typed
 * errors, callers catch them with `instanceof`, and the one error boundary renders the status with
 * the message. React Router itself answers any other Error with a 500.
 */
export function withTypedErrors(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const { loader, action } = route.module;
    routes[id] = {
      ...route,
      module: { ...route.module, ...(loader ? { loader: converting(loader) } : {}), ...(action ? { action: converting(action) } : {}) },
    };
  }
  return { ...build, routes };
}

function converting<F extends (...args: never[]) => unknown>(handler: F): F {
  const wrapped = async (...args: Parameters<F>) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw errorResponse(error) ?? error;
    }
  };
  return wrapped as unknown as F;
}
