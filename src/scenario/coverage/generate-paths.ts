/**
 * Paths through the call machine that together take every transition the
 * model can reach. For each world, @xstate/graph builds the model's
 * adjacency map; a breadth-first walk of it gives the shortest path to every
 * model state, and every edge of the map a candidate path (the shortest
 * path to its source plus the edge). A greedy set cover picks candidates until no transition is
 * left: the one adding most new transitions first, the shorter on a tie.
 */
import { getAdjacencyMap, type AdjacencyMap, type TraversalOptions } from '@xstate/graph';
import type { ActorLogic } from 'xstate';
import { callModel, type ModelEvent, type ModelSnapshot, type StepRecord } from './call-model.ts';
import { modelEvents, serializeModel } from './model-events.ts';
import type { MachineCatalogue } from './machine-transitions.ts';
import { PATH_WORLDS, type PathWorld } from './paths-world.ts';

export interface PathStep {
  readonly event: ModelEvent;
  readonly record: StepRecord;
  /** The model after the step. */
  readonly after: ModelSnapshot;
}

export interface GeneratedPath {
  readonly world: PathWorld;
  /** The model before the first step (the call just answered). */
  readonly start: ModelSnapshot;
  readonly steps: readonly PathStep[];
  /** Transition definitions the path takes in the model. */
  readonly transitions: ReadonlySet<object>;
}

export interface PathGeneration {
  readonly paths: readonly GeneratedPath[];
  /** Model states explored, per world. */
  readonly statesExplored: Readonly<Record<string, number>>;
  /** Transitions of the catalogue the model cannot reach at all. */
  readonly unreachable: readonly object[];
}

interface Candidate {
  readonly world: PathWorld;
  readonly start: ModelSnapshot;
  readonly steps: PathStep[];
  readonly transitions: Set<object>;
}

type Logic = ActorLogic<ModelSnapshot & { status: 'active' | 'done' | 'error' | 'stopped'; output: unknown; error: unknown }, ModelEvent, undefined>;

function traversal(): TraversalOptions<ModelSnapshot & { status: 'active'; output: unknown; error: unknown }, ModelEvent, undefined> {
  return {
    events: (snapshot) => modelEvents(snapshot),
    serializeState: (snapshot) => serializeModel(snapshot),
    serializeEvent: (event) => JSON.stringify(event) as never,
  } as TraversalOptions<ModelSnapshot & { status: 'active'; output: unknown; error: unknown }, ModelEvent, undefined>;
}

/** Breadth-first shortest paths over the adjacency map, from the initial state. */
function shortestPaths(adjacency: AdjacencyMap<ModelSnapshot, ModelEvent>, startKey: string): Map<string, { from: string; event: ModelEvent; state: ModelSnapshot } | null> {
  const previous = new Map<string, { from: string; event: ModelEvent; state: ModelSnapshot } | null>([[startKey, null]]);
  const queue = [startKey];
  for (let head = 0; head < queue.length; head++) {
    const key = queue[head]!;
    for (const edge of Object.values(adjacency[key as never]?.transitions ?? {}) as { event: ModelEvent; state: ModelSnapshot }[]) {
      const next = serializeModel(edge.state);
      if (previous.has(next)) continue;
      previous.set(next, { from: key, event: edge.event, state: edge.state });
      queue.push(next);
    }
  }
  return previous;
}

function candidatesOf(world: PathWorld): { candidates: Candidate[]; states: number } {
  const logic = callModel(world) as Logic;
  const adjacency = getAdjacencyMap(logic as never, traversal() as never) as AdjacencyMap<ModelSnapshot, ModelEvent>;
  const start = logic.getInitialSnapshot({} as never, undefined) as ModelSnapshot;
  const startKey = serializeModel(start);
  const previous = shortestPaths(adjacency, startKey);
  const prefixes = new Map<string, { steps: PathStep[]; transitions: Set<object> }>();
  const prefixOf = (key: string): { steps: PathStep[]; transitions: Set<object> } => {
    const known = prefixes.get(key);
    if (known) return known;
    const link = previous.get(key);
    let prefix: { steps: PathStep[]; transitions: Set<object> };
    if (!link) {
      prefix = { steps: [], transitions: new Set(start.last!.transitions) };
    } else {
      const before = prefixOf(link.from);
      const record = link.state.last!;
      prefix = { steps: [...before.steps, { event: link.event, record, after: link.state }], transitions: new Set([...before.transitions, ...record.transitions]) };
    }
    prefixes.set(key, prefix);
    return prefix;
  };
  const candidates: Candidate[] = [];
  for (const [key, value] of Object.entries(adjacency)) {
    if (!previous.has(key)) continue;
    const prefix = prefixOf(key);
    for (const edge of Object.values(value.transitions) as { event: ModelEvent; state: ModelSnapshot }[]) {
      const record = edge.state.last!;
      const transitions = new Set(prefix.transitions);
      for (const definition of record.transitions) transitions.add(definition);
      candidates.push({ world, start, steps: [...prefix.steps, { event: edge.event, record, after: edge.state }], transitions });
    }
  }
  return { candidates, states: Object.keys(adjacency).length };
}

export function generatePaths(catalogue: MachineCatalogue, worlds: readonly PathWorld[] = PATH_WORLDS): PathGeneration {
  const candidates: Candidate[] = [];
  const statesExplored: Record<string, number> = {};
  for (const world of worlds) {
    const result = candidatesOf(world);
    candidates.push(...result.candidates);
    statesExplored[world.name] = result.states;
  }
  const wanted = new Set<object>(catalogue.transitions.map((transition) => transition.definition));
  const reachable = new Set<object>();
  for (const candidate of candidates) for (const definition of candidate.transitions) if (wanted.has(definition)) reachable.add(definition);
  const uncovered = new Set(reachable);
  const paths: GeneratedPath[] = [];
  while (uncovered.size > 0) {
    let best: Candidate | undefined;
    let bestGain = 0;
    for (const candidate of candidates) {
      let gain = 0;
      for (const definition of candidate.transitions) if (uncovered.has(definition)) gain++;
      if (gain > bestGain || (gain === bestGain && gain > 0 && best !== undefined && candidate.steps.length < best.steps.length)) {
        best = candidate;
        bestGain = gain;
      }
    }
    if (!best) break;
    for (const definition of best.transitions) uncovered.delete(definition);
    paths.push({ world: best.world, start: best.start, steps: best.steps, transitions: best.transitions });
  }
  return { paths, statesExplored, unreachable: [...wanted].filter((definition) => !reachable.has(definition)) };
}
