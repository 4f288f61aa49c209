import { data } from "react-router";

// Being built; answers 404 until then.
export function loader() {
  throw data(null, { status: 404 });
}

export default function Placeholder() {
  return null;
}
