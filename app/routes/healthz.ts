// The process is up and serving; says nothing about its dependencies (see /readyz).
export function loader() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
