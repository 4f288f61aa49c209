import type { Route } from "./+types/home";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Commons" }];
}

export default function Home() {
  return <main className="p-8">Commons</main>;
}
