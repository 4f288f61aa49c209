// Placeholder while the route is being written.
export function loader() {
  return null;
}
