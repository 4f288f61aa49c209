import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, test } from "vitest";
import { DeadMailTable } from "./mail-health.tsx";
import { DeadLetterTable } from "./search-health.tsx";

/** Each dead-letter table has as many cells in a row as headings: a dropped cell shifts every column. */
function cellsPerRow(html: string): { headings: number; rows: number[] } {
  const headings = (html.match(/<th[\s>]/g) ?? []).length;
  const bodies = html.split("<tbody")[1]?.split("</tbody>")[0] ?? "";
  const rows = bodies
    .split("</tr>")
    .filter((r) => r.includes("<td"))
    .map((r) => (r.match(/<td[\s>]/g) ?? []).length);
  return { headings, rows };
}

function render(element: () => ReturnType<typeof createElement>) {
  const Stub = createRoutesStub([{ path: "/", Component: element }]);
  return renderToString(createElement(Stub, { initialEntries: ["/"] }));
}

const page = { total: 1, offset: 0, pageSize: 20 };
const now = Date.parse("2026-12-06T09:00:00Z");

describe("dead-letter tables", () => {
  test("Admin → Mail: to, kind, subject, attempts, last error, written, action", () => {
    const dead = {
      ...page,
      rows: [
        { id: 7, to: "a@northwind.example", template: "verify-email", subject: "Commons: confirm your address", attempts: 10, lastError: "ECONNECTION: refused", createdAt: new Date(now) },
      ],
    };
    const html = render(() => createElement(DeadMailTable, { dead, now, pageHref: (n: number) => `/admin/mail?page=${n}` }));
    expect(cellsPerRow(html)).toEqual({ headings: 7, rows: [7] });
    expect(html).toContain("Commons: confirm your address");
  });

  test("Admin → Search: id, kind, item, attempts, last error, created, action", () => {
    const dead = { ...page, rows: [{ id: 3, kind: "question", itemId: 12, item: null, attempts: 8, lastError: "task failed", createdAt: new Date(now) }] };
    const html = render(() => createElement(DeadLetterTable, { dead, now, pageHref: (n: number) => `/admin/search?page=${n}` }));
    expect(cellsPerRow(html)).toEqual({ headings: 7, rows: [7] });
  });
});
