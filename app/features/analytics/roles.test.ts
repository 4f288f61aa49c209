import Graph from "graphology";
import betweennessCentrality from "graphology-metrics/centrality/betweenness";
import { describe, expect, test } from "vitest";
import { connectorSentence, mavenSentence, profileSentence, salesmanSentence } from "./explain.ts";
import { ROLE_RULES, type RoleInput, assignRoles, participationProfile, percentAbove, topThreshold } from "./roles.ts";
import { buildCsr, departmentReach, graphFigures, sampledBetweenness } from "./sna-kernel.mjs";

/** A graphology graph as the job's pair lists (node keys are their indexes). */
function pairsOf(graph: Graph) {
  const a: number[] = [];
  const b: number[] = [];
  graph.forEachEdge((_edge, _attributes, source, target) => {
    a.push(Number(source));
    b.push(Number(target));
  });
  return { a: Int32Array.from(a), b: Int32Array.from(b), w: new Int32Array(a.length).fill(1) };
}

function graphOf(n: number, edges: Array<[number, number]>): Graph {
  const graph = new Graph({ type: "undirected" });
  for (let i = 0; i < n; i++) graph.addNode(String(i));
  for (const [x, y] of edges) graph.addEdge(String(x), String(y));
  return graph;
}

/** Two groups of five, everyone knowing everyone in their group, joined only through person 10. */
const BRIDGE: Array<[number, number]> = [];
for (const base of [0, 5]) for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) BRIDGE.push([base + i, base + j]);
BRIDGE.push([0, 10], [5, 10]);
const BRIDGE_DEPARTMENTS = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2]);

/** A small irregular graph with paths of several lengths and a dangling chain. */
const IRREGULAR: Array<[number, number]> = [
  [0, 1],
  [0, 2],
  [1, 2],
  [1, 3],
  [2, 4],
  [3, 4],
  [3, 5],
  [4, 6],
  [5, 6],
  [5, 7],
  [7, 8],
  [8, 9],
  [6, 9],
  [9, 10],
  [10, 11],
  [2, 11],
];

describe("sampled betweenness", () => {
  test.each([
    ["two groups joined by one person", 11, BRIDGE],
    ["an irregular graph", 12, IRREGULAR],
  ])("with as many sources as people it equals graphology-metrics' exact betweenness: %s", (_name, n, edges) => {
    const graph = graphOf(n, edges);
    const exact = betweennessCentrality(graph, { getEdgeWeight: null, normalized: true });
    const { a, b, w } = pairsOf(graph);
    const { betweenness, sources } = sampledBetweenness(buildCsr(n, a, b, w), { samples: n + 5, seed: 1 });
    expect(sources).toBe(n);
    for (let i = 0; i < n; i++) expect(betweenness[i]).toBeCloseTo(exact[String(i)]!, 12);
  });

  test("a sample is the same for the same seed, and still finds the broker", () => {
    const graph = graphOf(11, BRIDGE);
    const { a, b, w } = pairsOf(graph);
    const csr = buildCsr(11, a, b, w);
    const first = sampledBetweenness(csr, { samples: 4, seed: 42 });
    const again = sampledBetweenness(csr, { samples: 4, seed: 42 });
    const other = sampledBetweenness(csr, { samples: 4, seed: 7 });
    expect(first.sources).toBe(4);
    expect([...again.betweenness]).toEqual([...first.betweenness]);
    expect([...other.betweenness]).not.toEqual([...first.betweenness]);
    // Every path between the two groups goes through person 10: any sample of 4 sources sees it.
    const top = [...first.betweenness].indexOf(Math.max(...first.betweenness));
    expect(top).toBe(10);
  });

  test("reach across departments: colleagues, those outside, and how many other departments", () => {
    const graph = graphOf(11, BRIDGE);
    const { a, b, w } = pairsOf(graph);
    const reach = departmentReach(buildCsr(11, a, b, w), BRIDGE_DEPARTMENTS, 3);
    expect([reach.ties[10], reach.tiesOutside[10], reach.departmentsReached[10]]).toEqual([2, 2, 2]);
    expect([reach.ties[0], reach.tiesOutside[0], reach.departmentsReached[0]]).toEqual([5, 1, 1]);
    expect([reach.ties[1], reach.tiesOutside[1], reach.departmentsReached[1]]).toEqual([4, 0, 0]);
    // A colleague with no department is never "another department".
    const unknown = departmentReach(buildCsr(11, a, b, w), Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1]), 2);
    expect([unknown.tiesOutside[0], unknown.departmentsReached[0]]).toEqual([0, 0]);
    expect([unknown.tiesOutside[10], unknown.departmentsReached[10]]).toEqual([2, 2]);
  });

  test("interactions are the weights summed per person; a pair listed with itself counts nothing", () => {
    const csr = buildCsr(3, Int32Array.from([0, 1, 2]), Int32Array.from([1, 2, 2]), Int32Array.from([3, 2, 9]));
    expect([...csr.interactions]).toEqual([3, 5, 2]);
    expect([...csr.starts]).toEqual([0, 1, 3, 4]);
  });
});

describe("thresholds within the run", () => {
  test("the top share of the positive scores, at least one, ties at the line included", () => {
    expect(topThreshold([0, 0, 3, 1, 2], 0.05)).toBe(3);
    expect(
      topThreshold(
        Array.from({ length: 40 }, (_, i) => i + 1),
        0.05,
      ),
    ).toBe(39);
    expect(topThreshold([0, 0], 0.05)).toBe(Infinity);
  });

  test("the share of the others strictly below, equal values alike", () => {
    expect([...percentAbove([5, 1, 5, 0, 3])]).toEqual([75, 25, 75, 0, 50]);
  });
});

/** Everyone at zero, then the test's figures. */
function input(n: number, figures: Partial<Omit<RoleInput, "n" | "topics">> & { topics?: Array<[person: number, tag: number, people: number]> }): RoleInput {
  const zeros = () => new Int32Array(n);
  const topics = figures.topics ?? [];
  return {
    n,
    betweenness: new Float64Array(n),
    ties: zeros(),
    tiesOutside: zeros(),
    departmentsReached: zeros(),
    questions: zeros(),
    answers: zeros(),
    comments: zeros(),
    articles: zeros(),
    edits: zeros(),
    ideas: zeros(),
    kudosGiven: zeros(),
    helped: zeros(),
    helpedDepartments: zeros(),
    supporters: zeros(),
    supporterDepartments: zeros(),
    followers: zeros(),
    ...figures,
    topics: {
      person: topics.map((t) => t[0]),
      tag: topics.map((t) => t[1]),
      people: topics.map((t) => t[2]),
      tagNames: new Map([
        [1, "postgres"],
        [2, "kubernetes"],
        [3, "billing"],
      ]),
    },
  };
}

describe("roles", () => {
  test("the broker between two departments is the connector, and only they are", () => {
    const graph = graphOf(11, BRIDGE);
    const { a, b, w } = pairsOf(graph);
    const figures = graphFigures({ n: 11, a, b, w, department: BRIDGE_DEPARTMENTS, departments: 3, samples: 256, seed: 1 });
    const roles = assignRoles(input(11, { ...figures, answers: new Int32Array(11).fill(3) }));
    expect(roles.map((r) => r.isConnector)).toEqual([false, false, false, false, false, false, false, false, false, false, true]);
    expect(roles[10]!.profile).toBe("connector");
    expect(roles[10]!.explanation.connector).toEqual({ ties: 2, tiesOutside: 2, departments: 2, betweennessAbove: 100 });
    expect(roles[1]!.profile).toBe("answerer");
  });

  test("mavens are found topic by topic, with the floor of distinct colleagues", () => {
    // Topic 1: person 0 helped 6, person 1 helped 2. Topic 2: person 2 helped 1 (under the floor). Topic 3: persons 3 and 4 tie at 3.
    const roles = assignRoles(
      input(5, {
        helped: Int32Array.from([7, 2, 1, 3, 3]),
        helpedDepartments: Int32Array.from([3, 1, 1, 2, 1]),
        topics: [
          [0, 1, 6],
          [0, 3, 1],
          [1, 1, 2],
          [2, 2, 1],
          [3, 3, 3],
          [4, 3, 3],
        ],
      }),
    );
    expect(roles.map((r) => r.isMaven)).toEqual([true, false, false, true, true]);
    expect(roles[0]!.explanation.maven).toEqual({ people: 7, departments: 3, topics: [{ tag: "postgres", people: 6 }] });
    expect(roles[0]!.maven).toBe(7);
  });

  test("salesmen: the most support and followers, from at least two departments", () => {
    const roles = assignRoles(
      input(4, {
        supporters: Int32Array.from([20, 30, 2, 0]),
        supporterDepartments: Int32Array.from([4, 1, 2, 0]),
        followers: Int32Array.from([5, 0, 0, 0]),
      }),
      { ...ROLE_RULES, topShare: 0.5 },
    );
    // Person 1 has more support than person 0 but all of it from one department.
    expect(roles.map((r) => r.isSalesman)).toEqual([true, false, false, false]);
    expect(roles[0]!.salesman).toBe(25);
  });

  test("participation profiles: connector first, then quiet, answerer, asker, news poster", () => {
    const p = (questions: number, answers: number, comments: number, articles: number) => ({ questions, answers, comments, articles, edits: 0, ideas: 0, kudosGiven: 0 });
    expect(participationProfile(p(1, 0, 0, 0), false)).toBe("quiet");
    expect(participationProfile(p(0, 0, 0, 0), true)).toBe("connector");
    expect(participationProfile(p(3, 2, 1, 0), false)).toBe("answerer");
    expect(participationProfile(p(4, 1, 1, 0), false)).toBe("asker");
    expect(participationProfile(p(4, 1, 1, 2), false)).toBe("news_poster");
    expect(participationProfile(p(4, 1, 1, 2), true)).toBe("connector");
  });
});

describe("explanations in plain words", () => {
  test("to the person, and to HR about them", () => {
    const maven = {
      people: 12,
      departments: 4,
      topics: [
        { tag: "postgres", people: 9 },
        { tag: "kubernetes", people: 4 },
      ],
    };
    expect(mavenSentence(maven, { self: true })).toBe("12 colleagues in 4 departments got accepted answers from you on postgres and kubernetes.");
    expect(mavenSentence(maven, { self: false, name: "Sofia" })).toBe("12 colleagues in 4 departments got accepted answers from Sofia on postgres and kubernetes.");
    expect(connectorSentence({ ties: 25, tiesOutside: 18, departments: 4, betweennessAbove: 97 }, { self: true })).toBe(
      "Your ties reach 4 other departments: 18 of the 25 colleagues you interacted with work outside your department, and you sit on more of the shortest paths between colleagues than 97% of the others.",
    );
    expect(salesmanSentence({ supporters: 23, departments: 5, followers: 1 }, { self: true })).toBe(
      "Your answers and ideas won support (votes and kudos) from 23 colleagues in 5 departments, and 1 colleague follows you.",
    );
    expect(profileSentence("answerer", { questions: 1, answers: 11, comments: 3, articles: 0, edits: 0, ideas: 0, kudosGiven: 0 }, { self: false, name: "Sofia" })).toBe(
      "1 question asked, 11 answers, 3 comments and 0 articles published: Sofia mostly responds to colleagues.",
    );
  });
});
