import { plural } from "#app/lib/plural.ts";
import type { Profile, RoleExplanation } from "./roles.ts";

/**
 * The roles in plain words, built from the figures stored with them (roles.ts), so what a person
 * reads about themselves and what HR reads about them are the same sentences. Safe for the
 * browser: no server code.
 */

export type RoleName = "maven" | "connector" | "salesman";

export const ROLE_LABELS: Record<RoleName, string> = { maven: "Maven", connector: "Connector", salesman: "Salesman" };

export const PROFILE_LABELS: Record<Profile, string> = {
  answerer: "Answerer",
  asker: "Asker",
  news_poster: "News poster",
  connector: "Connector",
  quiet: "Quiet",
};

/** What each role means, in one line (the page's legend and the doc say the same). */
export const ROLE_MEANINGS: Record<RoleName, string> = {
  maven: "many different colleagues got accepted answers from them in a topic",
  connector: "their ties link departments, and many short paths between colleagues pass through them",
  salesman: "their answers and ideas win support from several departments, and people follow them",
};

/** "a", "a and b", "a, b and c". */
export function listOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** Who the sentences are about: the reader themself, or a person HR reads about. */
export type Subject = { self: true } | { self: false; name: string };

function words(subject: Subject) {
  return subject.self ? { from: "you", their: "your", they: "you", sit: "sit" } : { from: subject.name, their: "their", they: subject.name, sit: "sits" };
}

export function mavenSentence(e: RoleExplanation["maven"], subject: Subject): string {
  const w = words(subject);
  if (e.people === 0) return `No colleague got an accepted answer from ${w.from} in this period.`;
  const who = `${plural(e.people, "colleague", "colleagues")} in ${plural(e.departments, "department", "departments")}`;
  const topics = e.topics.map((t) => t.tag);
  return topics.length > 0 ? `${who} got accepted answers from ${w.from} on ${listOf(topics)}.` : `${who} got accepted answers from ${w.from}.`;
}

export function connectorSentence(e: RoleExplanation["connector"], subject: Subject): string {
  const w = words(subject);
  if (e.ties === 0) return `${capitalize(w.they)} interacted with no colleague in this period.`;
  const reach =
    e.departments > 0
      ? `${capitalize(w.their)} ties reach ${plural(e.departments, "other department", "other departments")}: ${e.tiesOutside.toLocaleString("en")} of the ${plural(e.ties, "colleague", "colleagues")} ${w.they} interacted with work outside ${w.their} department`
      : `All ${plural(e.ties, "colleague", "colleagues")} ${w.they} interacted with work in ${w.their} own department`;
  return `${reach}, and ${w.they} ${w.sit} on more of the shortest paths between colleagues than ${aboveOthers(e.betweennessAbove)}.`;
}

export function salesmanSentence(e: RoleExplanation["salesman"], subject: Subject): string {
  const w = words(subject);
  const support =
    e.supporters > 0
      ? `${capitalize(w.their)} answers and ideas won support (votes and kudos) from ${plural(e.supporters, "colleague", "colleagues")} in ${plural(e.departments, "department", "departments")}`
      : `${capitalize(w.their)} answers and ideas won no votes or kudos in this period`;
  const followed =
    e.followers > 0 ? `${plural(e.followers, "colleague follows", "colleagues follow")} ${subject.self ? "you" : "them"}` : `nobody follows ${subject.self ? "you" : "them"} yet`;
  return `${support}, and ${followed}.`;
}

export function profileSentence(profile: Profile, e: RoleExplanation["profile"], subject: Subject): string {
  const did = [
    plural(e.questions, "question asked", "questions asked"),
    plural(e.answers, "answer", "answers"),
    plural(e.comments, "comment", "comments"),
    plural(e.articles, "article published", "articles published"),
  ];
  const mostly: Record<Profile, string> = subject.self
    ? {
        answerer: "you mostly respond to colleagues",
        asker: "you mostly ask",
        news_poster: "you mostly post news and articles",
        connector: "you link colleagues across departments",
        quiet: "you took little part in questions, answers and articles; that is all it means, it is not a score",
      }
    : {
        answerer: `${subject.name} mostly responds to colleagues`,
        asker: `${subject.name} mostly asks`,
        news_poster: `${subject.name} mostly posts news and articles`,
        connector: `${subject.name} links colleagues across departments`,
        quiet: `${subject.name} took little part in questions, answers and articles; that is all it means, it is not a score`,
      };
  return `${capitalize(listOf(did))}: ${mostly[profile]}.`;
}

/** The sentence that explains one role, for the page that shows it. */
export function roleSentence(role: RoleName, e: RoleExplanation, subject: Subject): string {
  if (role === "maven") return mavenSentence(e.maven, subject);
  if (role === "connector") return connectorSentence(e.connector, subject);
  return salesmanSentence(e.salesman, subject);
}

/** One line for a list entry on HR's dashboard ("helped 12 colleagues in 4 departments on postgres"). */
export function roleLine(role: RoleName, e: RoleExplanation, topic?: string): string {
  if (role === "maven") {
    const inTopic = topic ? e.maven.topics.find((t) => t.tag === topic) : undefined;
    return inTopic
      ? `Helped ${plural(inTopic.people, "colleague", "colleagues")} on ${inTopic.tag}; ${plural(e.maven.people, "colleague", "colleagues")} in ${plural(e.maven.departments, "department", "departments")} in all`
      : `Helped ${plural(e.maven.people, "colleague", "colleagues")} in ${plural(e.maven.departments, "department", "departments")} with accepted answers`;
  }
  if (role === "connector") {
    return `Ties reach ${plural(e.connector.departments, "other department", "other departments")}; ${e.connector.tiesOutside.toLocaleString("en")} of ${plural(e.connector.ties, "colleague", "colleagues")} outside their own; on more shortest paths than ${aboveOthers(e.connector.betweennessAbove)}`;
  }
  return `Support from ${plural(e.salesman.supporters, "colleague", "colleagues")} in ${plural(e.salesman.departments, "department", "departments")}; ${plural(e.salesman.followers, "follower", "followers")}`;
}

/** "97% of the others", or "anyone else" at the top. */
function aboveOthers(percent: number): string {
  return percent >= 100 ? "anyone else" : `${percent}% of the others`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
