import { DEMO_DOMAIN } from "#db/seed-info.ts";
import { between, pick, type Rng, shuffle } from "./random.ts";

/**
 * The people and spaces of a generated company. People are ordered so that everyone's manager
 * comes before them: the hierarchy cannot loop, whatever the seed.
 */

const FIRST_NAMES = [
  "Aaron",
  "Abena",
  "Adele",
  "Ahmed",
  "Aiko",
  "Alba",
  "Alex",
  "Amir",
  "Ana",
  "Anders",
  "Anika",
  "Arjun",
  "Ava",
  "Bianca",
  "Boris",
  "Carla",
  "Chen",
  "Chiara",
  "Dara",
  "David",
  "Divya",
  "Elif",
  "Emma",
  "Erik",
  "Ethan",
  "Farah",
  "Felix",
  "Freya",
  "Gabriel",
  "Hana",
  "Hugo",
  "Ines",
  "Ivan",
  "Jade",
  "Jamal",
  "Jana",
  "Javier",
  "Joao",
  "Julia",
  "Kai",
  "Karin",
  "Kofi",
  "Laila",
  "Leo",
  "Lin",
  "Lucia",
  "Maja",
  "Malik",
  "Maria",
  "Mei",
  "Nadia",
  "Nikolai",
  "Noah",
  "Olga",
  "Pablo",
  "Quinn",
  "Rosa",
  "Sami",
  "Sven",
  "Tariq",
  "Uma",
  "Vera",
  "Wei",
  "Yara",
  "Adrian",
  "Aisha",
  "Bruno",
  "Camille",
  "Dmitri",
  "Esther",
  "Fatima",
  "Georg",
  "Helena",
  "Ibrahim",
  "Ingrid",
  "Jonas",
  "Kenji",
  "Lars",
  "Leila",
  "Marek",
  "Mina",
  "Nora",
  "Oscar",
  "Paula",
  "Rafael",
  "Sara",
  "Tomas",
  "Valentina",
  "Yusuf",
  "Zoe",
  "Hiro",
  "Amara",
  "Priya",
];
const LAST_NAMES = [
  "Abbott",
  "Adeyemi",
  "Almeida",
  "Andersen",
  "Bakker",
  "Banerjee",
  "Bauer",
  "Bianchi",
  "Brennan",
  "Castro",
  "Chowdhury",
  "Costa",
  "Dimitrov",
  "Dubois",
  "Eriksson",
  "Fischer",
  "Fontaine",
  "Garcia",
  "Goldberg",
  "Haddad",
  "Hansen",
  "Horvat",
  "Ibrahim",
  "Ivanova",
  "Jansen",
  "Kaur",
  "Keller",
  "Kimura",
  "Kowalczyk",
  "Larsen",
  "Lopez",
  "Mahler",
  "Moreau",
  "Murphy",
  "Nakamura",
  "Nguyen",
  "Novak",
  "Okoye",
  "Olsen",
  "Park",
  "Pereira",
  "Popescu",
  "Quinn",
  "Ramos",
  "Reyes",
  "Richter",
  "Rossi",
  "Santos",
  "Schneider",
  "Singh",
  "Sokolov",
  "Svensson",
  "Tanaka",
  "Torres",
  "Varga",
  "Vogel",
  "Walsh",
  "Weiss",
  "Yilmaz",
  "Zhang",
  "Achebe",
  "Berg",
  "Carvalho",
  "Dahl",
  "Edwards",
  "Ferreira",
  "Gupta",
  "Hoffmann",
  "Iyer",
  "Jovanovic",
  "Kiplagat",
  "Lindqvist",
  "Mensah",
  "Nilsson",
  "Osei",
  "Petrov",
  "Rahman",
  "Schmidt",
  "Tran",
  "Usman",
  "Vasquez",
  "Wagner",
  "Xu",
  "Young",
  "Zielinski",
  "Alves",
  "Becker",
  "Moretti",
  "Nair",
  "Okafor",
];

type Department = { name: string; weight: number; head: string; lead: string; titles: string[] };
export const DEPARTMENTS: Department[] = [
  {
    name: "Engineering",
    weight: 34,
    head: "VP of Engineering",
    lead: "Engineering Manager",
    titles: ["Backend Engineer", "Frontend Engineer", "Site Reliability Engineer", "QA Engineer", "Data Engineer", "Security Engineer", "Mobile Engineer", "Staff Engineer"],
  },
  {
    name: "Support",
    weight: 20,
    head: "Head of Support",
    lead: "Support Team Lead",
    titles: ["Support Specialist", "Technical Support Engineer", "Customer Success Manager", "Knowledge Base Editor"],
  },
  {
    name: "Sales",
    weight: 14,
    head: "VP of Sales",
    lead: "Sales Manager",
    titles: ["Account Executive", "Sales Engineer", "Sales Development Rep", "Partner Manager", "Sales Operations Analyst"],
  },
  { name: "Product", weight: 8, head: "VP of Product", lead: "Group Product Manager", titles: ["Product Manager", "Product Designer", "UX Researcher"] },
  { name: "Marketing", weight: 7, head: "Head of Marketing", lead: "Marketing Manager", titles: ["Content Marketer", "Product Marketing Manager", "Events Coordinator"] },
  { name: "Operations", weight: 7, head: "Chief Operating Officer", lead: "Operations Manager", titles: ["IT Administrator", "Office Manager", "Procurement Specialist"] },
  { name: "Finance", weight: 5, head: "Chief Financial Officer", lead: "Finance Manager", titles: ["Accountant", "Financial Analyst", "Payroll Specialist"] },
  {
    name: "HR",
    weight: 5,
    head: "Chief People Officer",
    lead: "HR Manager",
    titles: ["HR Business Partner", "Talent Acquisition Partner", "Learning & Development Lead", "HR Operations Specialist"],
  },
];
const LOCATIONS: Array<[string, number]> = [
  ["London", 22],
  ["Berlin", 18],
  ["Lisbon", 12],
  ["Austin", 14],
  ["Toronto", 10],
  ["Warsaw", 9],
  ["Singapore", 8],
  ["Bangalore", 7],
];
const CUSTOMER_DOMAINS = ["acme-retail.example", "globex.example", "initech.example", "umbrella-foods.example", "stark-logistics.example"];

export type Person = {
  /** Index in the people array; ids are assigned in this order. */
  index: number;
  email: string;
  name: string;
  title: string;
  department: string;
  location: string;
  /** Index of the manager, always smaller than `index`. */
  manager: number | null;
  role: "member" | "moderator" | "hr" | "admin";
  kind: "employee" | "customer";
};

export function weighted<T>(rng: Rng, items: ReadonlyArray<[T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[0]![0];
}

/**
 * `employees` people in departments (a CEO, a head per department, team leads, everyone else),
 * then a few customers. The first employee after the leaders, an engineer, is the sign-in account.
 */
export function makePeople(rng: Rng, employees: number): { people: Person[]; signIn: number } {
  const names = shuffle(
    FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => [f, l] as const)),
    rng,
  );
  const emails = new Map<string, number>();
  let n = 0;
  const nextName = (domain: string) => {
    const [first, last] = names[n++ % names.length]!;
    const base = `${first}.${last}`.toLowerCase();
    const seen = (emails.get(`${base}@${domain}`) ?? 0) + 1;
    emails.set(`${base}@${domain}`, seen);
    return { name: `${first} ${last}`, email: `${base}${seen > 1 ? seen : ""}@${domain}` };
  };
  const people: Person[] = [];
  const add = (p: Omit<Person, "index" | keyof ReturnType<typeof nextName>>, domain = DEMO_DOMAIN) => {
    people.push({ index: people.length, ...nextName(domain), ...p });
    return people.length - 1;
  };

  const ceo = add({ title: "Chief Executive Officer", department: "Operations", location: "London", manager: null, role: "admin", kind: "employee" });
  // Department sizes by weight; every department has at least a head.
  const totalWeight = DEPARTMENTS.reduce((s, d) => s + d.weight, 0);
  const sizes = DEPARTMENTS.map((d) => Math.max(1, Math.round(((employees - 1) * d.weight) / totalWeight)));
  sizes[0]! += employees - 1 - sizes.reduce((s, x) => s + x, 0);
  const heads = DEPARTMENTS.map((d) => add({ title: d.head, department: d.name, location: weighted(rng, LOCATIONS), manager: ceo, role: "member", kind: "employee" }));
  const leads = DEPARTMENTS.map((d, i) => {
    const list: number[] = [];
    for (let j = Math.round((sizes[i]! - 1) / 8); j > 0; j--) {
      // Larger departments have a second level: some leads report to one of the first leads.
      const manager = list.length > 3 && rng() < 0.3 ? list[between(rng, 0, 3)]! : heads[i]!;
      list.push(add({ title: d.lead, department: d.name, location: weighted(rng, LOCATIONS), manager, role: "member", kind: "employee" }));
    }
    return list;
  });
  let signIn = -1;
  DEPARTMENTS.forEach((d, i) => {
    const rest = sizes[i]! - 1 - leads[i]!.length;
    for (let j = 0; j < rest; j++) {
      const ownLeads = leads[i]!.length > 0 ? leads[i]! : [heads[i]!];
      // Mostly a lead of one's own department; now and then one elsewhere (a matrix organisation).
      const otherLeads = leads[between(rng, 0, leads.length - 1)]!;
      const manager = rng() < 0.04 && otherLeads.length > 0 ? pick(rng, otherLeads) : pick(rng, ownLeads);
      const index = add({ title: pick(rng, d.titles), department: d.name, location: weighted(rng, LOCATIONS), manager, role: "member", kind: "employee" });
      if (signIn < 0 && d.name === "Engineering") signIn = index;
    }
  });
  if (signIn < 0) signIn = heads[0]!;

  // A few admins (IT), moderators (about one in 200) and HR.
  const staff = people.filter((p) => p.index !== signIn && p.index !== ceo);
  const admins = staff.filter((p) => p.title === "IT Administrator").slice(0, 2);
  if (admins.length === 0) admins.push(staff.find((p) => p.department === "Operations") ?? staff[0]!);
  for (const p of admins) p.role = "admin";
  for (const p of staff) {
    if (p.role !== "member") continue;
    if (p.department === "HR" && rng() < 0.4) p.role = "hr";
    else if (rng() < 0.005 || p.title.endsWith("Team Lead")) p.role = "moderator";
  }
  if (!people.some((p) => p.role === "moderator")) staff.find((p) => p.role === "member")!.role = "moderator";
  // HR's head always holds the HR role, so even a small company has someone in it.
  if (!people.some((p) => p.role === "hr")) people[heads[DEPARTMENTS.findIndex((d) => d.name === "HR")]!]!.role = "hr";

  const customers = Math.max(3, Math.round(employees * 0.03));
  for (let i = 0; i < customers; i++) {
    add({ title: "Customer", department: "", location: "", manager: null, role: "member", kind: "customer" }, pick(rng, CUSTOMER_DOMAINS));
  }
  return { people, signIn };
}

export type SpaceDef = {
  slug: string;
  name: string;
  description: string;
  restricted: boolean;
  /** Share of the questions asked here. */
  share: number;
  /** Where its technical questions come from (more code in bodies). */
  technical: boolean;
  /** Restricted spaces: members come from these departments. */
  departments: string[];
};

export const SPACES: SpaceDef[] = [
  { slug: "engineering", name: "Engineering", description: "Architecture, tooling, on-call and everything we build.", restricted: false, share: 0.26, technical: true, departments: [] },
  { slug: "ask-support", name: "Ask Support", description: "Product questions, escalations and known issues.", restricted: false, share: 0.18, technical: true, departments: [] },
  {
    slug: "people-and-culture",
    name: "People & Culture",
    description: "Benefits, travel, learning budgets, and how things work around here.",
    restricted: false,
    share: 0.09,
    technical: false,
    departments: [],
  },
  {
    slug: "data-and-analytics",
    name: "Data & Analytics",
    description: "Dashboards, the warehouse, metrics definitions and SQL help.",
    restricted: false,
    share: 0.08,
    technical: true,
    departments: [],
  },
  { slug: "it-help", name: "IT Help", description: "Laptops, accounts, VPN, printers and software requests.", restricted: false, share: 0.08, technical: true, departments: [] },
  { slug: "product", name: "Product", description: "Roadmap questions, feature behaviour and design decisions.", restricted: false, share: 0.07, technical: false, departments: [] },
  {
    slug: "sales-enablement",
    name: "Sales Enablement",
    description: "Pitch decks, competitors, objections and demo environments.",
    restricted: false,
    share: 0.06,
    technical: false,
    departments: [],
  },
  { slug: "office-life", name: "Office Life", description: "Offices, events, facilities and the coffee machine.", restricted: false, share: 0.04, technical: false, departments: [] },
  {
    slug: "platform-security",
    name: "Platform Security",
    description: "Incident reviews and security work in progress. Members only.",
    restricted: true,
    share: 0.06,
    technical: true,
    departments: ["Engineering"],
  },
  {
    slug: "deal-desk",
    name: "Deal Desk",
    description: "Pricing exceptions and contract questions for Sales and Finance. Members only.",
    restricted: true,
    share: 0.05,
    technical: false,
    departments: ["Sales", "Finance"],
  },
  { slug: "hr-partners", name: "HR Partners", description: "Cases and policies for the HR team. Members only.", restricted: true, share: 0.02, technical: false, departments: ["HR"] },
  {
    slug: "leadership",
    name: "Leadership",
    description: "Planning and organisation questions for managers. Members only.",
    restricted: true,
    share: 0.01,
    technical: false,
    departments: [],
  },
];

export type SpaceMember = { space: number; person: number; role: "member" | "moderator" };

/**
 * Memberships: restricted spaces take most of their departments (Leadership: heads and leads);
 * open spaces have two moderators and a few people who joined. The sign-in account is a member
 * of every restricted space but HR's, so it sees all spaces but one.
 */
export function makeMemberships(rng: Rng, people: Person[], signIn: number): SpaceMember[] {
  const employees = people.filter((p) => p.kind === "employee");
  const managers = new Set(people.map((p) => p.manager));
  const rows: SpaceMember[] = [];
  SPACES.forEach((space, s) => {
    const chosen = new Map<number, "member" | "moderator">();
    if (space.restricted) {
      // Leadership: everyone with reports. Others: their departments' heads (who report to the CEO) and most of the rest.
      const pool =
        space.slug === "leadership"
          ? employees.filter((p) => p.index !== 0 && managers.has(p.index))
          : employees.filter((p) => space.departments.includes(p.department) && (p.manager === 0 || rng() < 0.7));
      for (const p of pool) chosen.set(p.index, "member");
      if (space.slug !== "hr-partners") chosen.set(signIn, "member");
      for (const p of pool.slice(0, 2)) chosen.set(p.index, "moderator");
    } else {
      for (const p of employees) if (rng() < 0.04) chosen.set(p.index, "member");
      for (let i = 0; i < 2; i++) chosen.set(pick(rng, employees).index, "moderator");
    }
    for (const [person, role] of chosen) rows.push({ space: s, person, role });
  });
  return rows;
}
