/**
 * The roles of the people analytics (docs/people-analytics.md), from the seeds' "mavens,
 * connectors and salesmen" and their participation profiles: pure arithmetic over the figures
 * the SNA job measured, so every rule is tested on small hand-made cases and every flag comes
 * with the figures that explain it to its person.
 *
 * Thresholds are relative to the run: a role goes to the top ROLE_RULES.topShare (5%) of the
 * people with any score for it, ties included, and never below a floor that keeps a small company
 * from calling one helpful answer expertise.
 */

export const PROFILES = ["answerer", "asker", "news_poster", "connector", "quiet"] as const;
export type Profile = (typeof PROFILES)[number];

export const ROLE_RULES = {
  /** The share of people with a score who get the role (ties at the line included). */
  topShare: 0.05,
  /** A maven in a topic helped at least this many distinct colleagues there. */
  mavenMinPeople: 2,
  /** A connector's ties reach at least this many departments other than their own. */
  connectorMinDepartments: 2,
  /** A salesman's support comes from at least this many departments. */
  salesmanMinDepartments: 2,
  /** Fewer posts and comments than this in the window: quiet. */
  quietBelow: 2,
  /** An article counts as this many answers or questions when finding what someone mostly does. */
  articleWeight: 3,
  /** Maven topics kept per person (the strongest first). */
  topicsKept: 5,
};
export type RoleRules = typeof ROLE_RULES;

/** What the figures say about one person: stored as `person_roles.explanation` and turned into words by explain.ts. */
export type RoleExplanation = {
  maven: { people: number; departments: number; topics: Array<{ tag: string; people: number }> };
  connector: { ties: number; tiesOutside: number; departments: number; betweennessAbove: number };
  salesman: { supporters: number; departments: number; followers: number };
  profile: { questions: number; answers: number; comments: number; articles: number; edits: number; ideas: number; kudosGiven: number };
};

/** The figures of everyone in the run, index-aligned (person i everywhere). */
export type RoleInput = {
  n: number;
  betweenness: ArrayLike<number>;
  ties: ArrayLike<number>;
  tiesOutside: ArrayLike<number>;
  departmentsReached: ArrayLike<number>;
  questions: ArrayLike<number>;
  answers: ArrayLike<number>;
  comments: ArrayLike<number>;
  articles: ArrayLike<number>;
  edits: ArrayLike<number>;
  ideas: ArrayLike<number>;
  kudosGiven: ArrayLike<number>;
  helped: ArrayLike<number>;
  helpedDepartments: ArrayLike<number>;
  supporters: ArrayLike<number>;
  supporterDepartments: ArrayLike<number>;
  followers: ArrayLike<number>;
  /** Per person and topic: distinct colleagues helped with accepted answers there. */
  topics: { person: ArrayLike<number>; tag: ArrayLike<number>; people: ArrayLike<number>; tagNames: ReadonlyMap<number, string> };
};

export type PersonRole = {
  maven: number;
  connector: number;
  salesman: number;
  isMaven: boolean;
  isConnector: boolean;
  isSalesman: boolean;
  profile: Profile;
  explanation: RoleExplanation;
};

/**
 * The lowest score that is still in the top `share` of the positive `scores`: the k-th highest,
 * k = ceil(count × share) and at least 1. Infinity when no score is positive.
 */
export function topThreshold(scores: Iterable<number>, share: number): number {
  const positive = [...scores].filter((s) => s > 0).sort((a, b) => b - a);
  if (positive.length === 0) return Infinity;
  const k = Math.max(1, Math.ceil(positive.length * share));
  return positive[k - 1]!;
}

/** For each person, the percentage of the others whose value is strictly lower (0 to 100, whole numbers). */
export function percentAbove(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Int32Array(n);
  let lower = 0;
  for (let i = 0; i < n; i++) {
    // Everyone tied with order[i] has the same number of people strictly below.
    if (i > 0 && values[order[i]!]! > values[order[i - 1]!]!) lower = i;
    out[order[i]!] = n <= 1 ? 0 : Math.floor((lower / (n - 1)) * 100);
  }
  return out;
}

/** Brokerage between departments: betweenness weighted by the share of ties that cross a department line. */
export function connectorScore(betweenness: number, ties: number, tiesOutside: number): number {
  return ties === 0 ? 0 : betweenness * (tiesOutside / ties);
}

/**
 * What someone mostly does in the window. A connector when they are one (brokering between
 * departments is their way of taking part, even through votes and kudos alone); quiet under
 * `quietBelow` posts and comments; otherwise the largest of responding (answers and comments),
 * posting news (articles, each worth `articleWeight`) and asking, in that order on a tie.
 */
export function participationProfile(p: RoleExplanation["profile"], isConnector: boolean, rules: RoleRules = ROLE_RULES): Profile {
  const responding = p.answers + p.comments;
  if (isConnector) return "connector";
  if (responding + p.questions + p.articles < rules.quietBelow) return "quiet";
  const news = p.articles * rules.articleWeight;
  if (responding >= news && responding >= p.questions) return "answerer";
  if (news >= p.questions) return "news_poster";
  return "asker";
}

/** Everyone's roles and profile with their explanation, index-aligned with the input. */
export function assignRoles(input: RoleInput, rules: RoleRules = ROLE_RULES): PersonRole[] {
  const { n } = input;

  // Mavens, topic by topic: the top share of the people who helped anyone there.
  const byTopic = new Map<number, Array<{ person: number; people: number }>>();
  for (let i = 0; i < input.topics.person.length; i++) {
    const tag = input.topics.tag[i]!;
    let list = byTopic.get(tag);
    if (!list) byTopic.set(tag, (list = []));
    list.push({ person: input.topics.person[i]!, people: input.topics.people[i]! });
  }
  const mavenTopics = new Map<number, Array<{ tag: string; people: number }>>();
  for (const [tag, list] of byTopic) {
    const line = Math.max(
      rules.mavenMinPeople,
      topThreshold(
        list.map((r) => r.people),
        rules.topShare,
      ),
    );
    for (const r of list) {
      if (r.people < line) continue;
      let topics = mavenTopics.get(r.person);
      if (!topics) mavenTopics.set(r.person, (topics = []));
      topics.push({ tag: input.topics.tagNames.get(tag) ?? "", people: r.people });
    }
  }

  const connector = Array.from({ length: n }, (_, i) => connectorScore(input.betweenness[i]!, input.ties[i]!, input.tiesOutside[i]!));
  const salesman = Array.from({ length: n }, (_, i) => input.supporters[i]! + input.followers[i]!);
  const connectorLine = topThreshold(connector, rules.topShare);
  const salesmanLine = topThreshold(salesman, rules.topShare);
  const above = percentAbove(input.betweenness);

  return Array.from({ length: n }, (_, i): PersonRole => {
    const topics = (mavenTopics.get(i) ?? []).sort((a, b) => b.people - a.people || a.tag.localeCompare(b.tag, "en")).slice(0, rules.topicsKept);
    const isConnector = connector[i]! > 0 && connector[i]! >= connectorLine && input.departmentsReached[i]! >= rules.connectorMinDepartments;
    const isSalesman = salesman[i]! > 0 && salesman[i]! >= salesmanLine && input.supporterDepartments[i]! >= rules.salesmanMinDepartments;
    const profile = {
      questions: input.questions[i]!,
      answers: input.answers[i]!,
      comments: input.comments[i]!,
      articles: input.articles[i]!,
      edits: input.edits[i]!,
      ideas: input.ideas[i]!,
      kudosGiven: input.kudosGiven[i]!,
    };
    return {
      maven: input.helped[i]!,
      connector: connector[i]!,
      salesman: salesman[i]!,
      isMaven: topics.length > 0,
      isConnector,
      isSalesman,
      profile: participationProfile(profile, isConnector, rules),
      explanation: {
        maven: { people: input.helped[i]!, departments: input.helpedDepartments[i]!, topics },
        connector: { ties: input.ties[i]!, tiesOutside: input.tiesOutside[i]!, departments: input.departmentsReached[i]!, betweennessAbove: above[i]! },
        salesman: { supporters: input.supporters[i]!, departments: input.supporterDepartments[i]!, followers: input.followers[i]! },
        profile,
      },
    };
  });
}
