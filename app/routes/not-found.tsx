import { NotFoundError } from "#app/lib/errors.ts";

// Every URL no other route claims: the root error boundary renders the 404 page.
export function loader() {
  throw new NotFoundError();
}

export default function NotFound() {
  return null;
}
