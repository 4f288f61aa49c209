import path from "node:path";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { createSpace, createUser } from "../tests/factories/index.ts";
import { createDb, type Db } from "./client.server.ts";
import { users } from "./schema/index.ts";
import { DEMO_DOMAIN, DEMO_PASSWORD } from "./seed-info.ts";

/**
 * The demo company, Northwind: 40 people in five departments across four offices, with managers,
 * an admin, an HR partner, moderators, and spaces (one of them restricted).
 */
type Person = {
  name: string;
  title: string;
  department: "Engineering" | "Support" | "Sales" | "HR" | "Finance";
  location: string;
  manager?: string;
  role?: "admin" | "moderator" | "hr";
  bio?: string;
};

const PEOPLE: Person[] = [
  { name: "Amara Okafor", title: "VP Engineering", department: "Engineering", location: "London", role: "admin", bio: "Runs engineering. Ask me about platform strategy and hiring." },
  { name: "Jonas Weber", title: "Engineering Manager, Platform", department: "Engineering", location: "Berlin", manager: "Amara Okafor" },
  { name: "Priya Nair", title: "Senior Security Engineer", department: "Engineering", location: "Berlin", manager: "Jonas Weber", bio: "Threat modelling, SSO, secrets management." },
  { name: "Kenji Sato", title: "Site Reliability Engineer", department: "Engineering", location: "Berlin", manager: "Jonas Weber" },
  { name: "Sofia Martins", title: "Backend Engineer", department: "Engineering", location: "Lisbon", manager: "Jonas Weber", bio: "PostgreSQL whisperer." },
  { name: "Daniel Kim", title: "Engineering Manager, Product", department: "Engineering", location: "Austin", manager: "Amara Okafor" },
  { name: "Grace Liu", title: "Frontend Engineer", department: "Engineering", location: "Austin", manager: "Daniel Kim", bio: "Accessibility and design systems." },
  { name: "Mateo García", title: "Full-stack Engineer", department: "Engineering", location: "Lisbon", manager: "Daniel Kim" },
  { name: "Hannah Schmidt", title: "QA Engineer", department: "Engineering", location: "Berlin", manager: "Daniel Kim" },
  { name: "Oliver Brown", title: "Data Engineer", department: "Engineering", location: "London", manager: "Jonas Weber" },
  { name: "Aisha Rahman", title: "Mobile Engineer", department: "Engineering", location: "London", manager: "Daniel Kim" },
  { name: "Lukas Novak", title: "DevOps Engineer", department: "Engineering", location: "Berlin", manager: "Jonas Weber" },
  { name: "Elena Petrova", title: "Head of Support", department: "Support", location: "Lisbon", bio: "Customer support since 2009. Happy to share our macros." },
  { name: "Marco Rossi", title: "Support Team Lead", department: "Support", location: "Lisbon", manager: "Elena Petrova", role: "moderator", bio: "Moderates Ask Support. Ping me about escalations." },
  { name: "Chloe Dubois", title: "Support Specialist", department: "Support", location: "Lisbon", manager: "Marco Rossi" },
  { name: "Samuel Osei", title: "Support Specialist", department: "Support", location: "London", manager: "Marco Rossi" },
  { name: "Yuki Tanaka", title: "Technical Support Engineer", department: "Support", location: "Austin", manager: "Marco Rossi" },
  { name: "Fatima Zahra", title: "Support Specialist", department: "Support", location: "Lisbon", manager: "Marco Rossi" },
  { name: "Ben Carter", title: "Customer Success Manager", department: "Support", location: "Austin", manager: "Elena Petrova" },
  { name: "Nora Lindqvist", title: "Knowledge Base Editor", department: "Support", location: "Berlin", manager: "Elena Petrova", role: "moderator" },
  { name: "Tom Becker", title: "Account Executive", department: "Sales", location: "Berlin", manager: "Rachel Adams" },
  { name: "Rachel Adams", title: "VP Sales", department: "Sales", location: "Austin", bio: "EMEA and North America sales." },
  { name: "Diego Fernández", title: "Sales Engineer", department: "Sales", location: "Lisbon", manager: "Rachel Adams" },
  { name: "Isabella Moretti", title: "Account Executive", department: "Sales", location: "London", manager: "Rachel Adams" },
  { name: "Ahmed Hassan", title: "Sales Development Rep", department: "Sales", location: "London", manager: "Isabella Moretti" },
  { name: "Emily Johnson", title: "Sales Development Rep", department: "Sales", location: "Austin", manager: "Isabella Moretti" },
  { name: "Lucas Silva", title: "Partner Manager", department: "Sales", location: "Lisbon", manager: "Rachel Adams" },
  { name: "Mia Hoffmann", title: "Sales Operations Analyst", department: "Sales", location: "Berlin", manager: "Rachel Adams" },
  { name: "Lena Fischer", title: "HR Business Partner", department: "HR", location: "Berlin", manager: "Sarah O'Connor", role: "hr", bio: "People programs, recognition and learning." },
  { name: "Sarah O'Connor", title: "Head of People", department: "HR", location: "London", role: "hr" },
  { name: "Kwame Mensah", title: "Talent Acquisition Partner", department: "HR", location: "London", manager: "Sarah O'Connor" },
  { name: "Julia Nowak", title: "Learning & Development Lead", department: "HR", location: "Berlin", manager: "Sarah O'Connor" },
  { name: "Ravi Patel", title: "HR Operations Specialist", department: "HR", location: "Austin", manager: "Sarah O'Connor" },
  { name: "Charlotte Evans", title: "CFO", department: "Finance", location: "London" },
  { name: "Pedro Alves", title: "Finance Manager", department: "Finance", location: "Lisbon", manager: "Charlotte Evans" },
  { name: "Anna Kowalski", title: "Accountant", department: "Finance", location: "Berlin", manager: "Pedro Alves" },
  { name: "Michael Chen", title: "Financial Analyst", department: "Finance", location: "Austin", manager: "Pedro Alves" },
  { name: "Zoe Williams", title: "Payroll Specialist", department: "Finance", location: "London", manager: "Charlotte Evans" },
  { name: "Ingrid Larsen", title: "Procurement Lead", department: "Finance", location: "Berlin", manager: "Charlotte Evans" },
  { name: "Omar Farouk", title: "Expenses & Travel Coordinator", department: "Finance", location: "Lisbon", manager: "Pedro Alves" },
];

export function demoEmail(name: string): string {
  const local = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/\s+/g, ".");
  return `${local}@${DEMO_DOMAIN}`;
}

/** Creates the demo company. Runs in one transaction: a failed seed leaves nothing behind. */
export async function seedDemo(db: Db): Promise<{ users: number; spaces: number }> {
  return db.transaction(async (tx) => {
    const byName = new Map<string, { id: number }>();
    for (const person of PEOPLE) {
      const user = await createUser(tx, {
        email: demoEmail(person.name),
        password: DEMO_PASSWORD,
        name: person.name,
        title: person.title,
        department: person.department,
        location: person.location,
        bio: person.bio ?? "",
        role: person.role ?? "member",
      });
      byName.set(person.name, user);
    }
    for (const person of PEOPLE) {
      if (!person.manager) continue;
      const manager = byName.get(person.manager);
      if (!manager) throw new Error(`seed: unknown manager ${person.manager}`);
      await tx.update(users).set({ managerId: manager.id }).where(eqId(byName.get(person.name)!.id));
    }
    const pick = (...names: string[]) => names.map((n) => byName.get(n)!);
    const engineers = PEOPLE.filter((p) => p.department === "Engineering").map((p) => p.name);
    await createSpace(tx, {
      slug: "engineering",
      name: "Engineering",
      description: "Architecture, tooling, on-call and everything we build. Open to everyone.",
      moderators: pick("Jonas Weber", "Daniel Kim"),
    });
    await createSpace(tx, {
      slug: "ask-support",
      name: "Ask Support",
      description: "How do I help this customer? Product questions, escalations and known issues.",
      moderators: pick("Marco Rossi", "Nora Lindqvist"),
    });
    await createSpace(tx, {
      slug: "people-and-culture",
      name: "People & Culture",
      description: "Benefits, travel, learning budgets, and how things work around here.",
      moderators: pick("Lena Fischer"),
    });
    await createSpace(
      tx,
      {
        slug: "platform-security",
        name: "Platform Security",
        description: "Incident reviews and security work in progress. Members only.",
        members: pick(...engineers.filter((n) => !["Jonas Weber", "Priya Nair"].includes(n)).slice(0, 6), "Priya Nair"),
        moderators: pick("Jonas Weber"),
      },
      "restricted",
    );
    await createSpace(
      tx,
      {
        slug: "deal-desk",
        name: "Deal Desk",
        description: "Pricing exceptions and contract questions for Sales and Finance. Members only.",
        members: pick("Tom Becker", "Diego Fernández", "Isabella Moretti", "Pedro Alves", "Michael Chen"),
        moderators: pick("Rachel Adams", "Charlotte Evans"),
      },
      "restricted",
    );
    return { users: PEOPLE.length, spaces: 5 };
  });
}

function eqId(id: number) {
  return eq(users.id, id);
}

/** Seeds only a database that has no users yet (the first embedded start). */
export async function seedDemoIfEmpty(url: string, log: (line: string) => void): Promise<boolean> {
  const db = createDb(url, { max: 1 });
  try {
    const [row] = await db.select({ n: count() }).from(users);
    if ((row?.n ?? 0) > 0) return false;
    const result = await seedDemo(db);
    log(`seeded the demo company: ${result.users} people, ${result.spaces} spaces`);
    return true;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("db:seed needs DATABASE_URL (npm start seeds the embedded database on its first start)");
    process.exit(1);
  }
  const seeded = await seedDemoIfEmpty(url, console.log);
  if (!seeded) console.log("the database already has users: nothing seeded");
}
