// Placeholder while the route is being written.
export default function Placeholder() {
  return null;
}
