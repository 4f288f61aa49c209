import { data } from "react-router";
import { describe, expect, test } from "vitest";
import { errorView, errorViewOf } from "./error-view.ts";
import { ForbiddenError, NotFoundError, errorResponse } from "./errors.ts";

describe("the error boundary's view per status", () => {
  test("a 404 looks the same whatever it carries: a hidden page gives nothing away", () => {
    expect(errorView(404, "Space 7 is restricted")).toEqual(errorView(404, null));
    expect(errorView(404, null)).toMatchObject({ heading: "We can't find that page", tone: "missing", reference: false });
  });

  test("a 403 shows its message, or a general one", () => {
    expect(errorView(403, "Only moderators of this space can do that.")).toMatchObject({
      heading: "You can't do that",
      text: "Only moderators of this space can do that.",
      reference: false,
    });
    expect(errorView(403, null).text).toBe("You don't have permission to do that.");
  });

  test("400, 405, 413 and 429 each say what happened, without blaming the server", () => {
    expect(errorView(400, "The form could not be read. Reload the page and try again.").text).toBe("The form could not be read. Reload the page and try again.");
    for (const status of [400, 405, 413, 429]) {
      const view = errorView(status, null);
      expect(view.label).toBe(String(status));
      expect(view.reference).toBe(false);
      expect(view.text).not.toMatch(/not something you did/);
    }
  });

  test("anything else is our fault and offers the request id", () => {
    expect(errorView(500, "boom")).toMatchObject({ label: "500", heading: "Something went wrong", reference: true });
    expect(errorView(503, null).label).toBe("503");
    expect(errorView(null, null)).toMatchObject({ label: "Error", reference: true });
    expect(errorView(500, "boom").text).not.toMatch(/boom/);
  });
});

describe("typed errors as the boundary receives them", () => {
  // What React Router hands the boundary for a thrown data(message, { status }).
  const received = (value: ReturnType<typeof data>) => ({ status: value.init?.status ?? 500, statusText: "", internal: false, data: value.data });

  test("a ForbiddenError's message reaches the 403 page", () => {
    const answer = errorResponse(new ForbiddenError("Only moderators of this space can do that."))!;
    expect(answer.init?.status).toBe(403);
    expect(errorViewOf(received(answer))).toMatchObject({ label: "403", text: "Only moderators of this space can do that." });
  });

  test("a NotFoundError is a 404; other errors are not answers", () => {
    expect(errorResponse(new NotFoundError())?.init?.status).toBe(404);
    expect(errorResponse(new Error("bug"))).toBeUndefined();
    expect(errorResponse(data("x", { status: 404 }))).toBeUndefined();
    expect(errorViewOf(new Error("bug"))).toMatchObject({ label: "Error", reference: true });
  });
});
