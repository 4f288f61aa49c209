import type { ServerBuild } from "react-router";
import { expect, test } from "vitest";
import { ForbiddenError, NotFoundError } from "../app/lib/errors.ts";
import { withTypedErrors } from "./route-errors.ts";

const args = {} as never;

function buildWith(module: Record<string, unknown>): ServerBuild {
  return { routes: { page: { id: "page", path: "page", module } } } as unknown as ServerBuild;
}

test("a typed error escaping a loader or action becomes the HTTP answer React Router renders", async () => {
  const build = withTypedErrors(
    buildWith({
      loader: async () => {
        throw new NotFoundError();
      },
      action: async () => {
        throw new ForbiddenError("Only moderators of this space can do that.");
      },
      default: "the component",
    }),
  );
  const { module } = build.routes.page!;
  await expect(module.loader!(args)).rejects.toMatchObject({ data: "Not found", init: { status: 404 } });
  await expect(module.action!(args)).rejects.toMatchObject({ data: "Only moderators of this space can do that.", init: { status: 403 } });
  expect(module.default).toBe("the component");
});

test("results and other errors pass through untouched", async () => {
  const bug = new Error("bug");
  const build = withTypedErrors(
    buildWith({
      loader: async () => ({ ok: true }),
      action: async () => {
        throw bug;
      },
    }),
  );
  await expect(build.routes.page!.module.loader!(args)).resolves.toEqual({ ok: true });
  await expect(build.routes.page!.module.action!(args)).rejects.toBe(bug);
});
