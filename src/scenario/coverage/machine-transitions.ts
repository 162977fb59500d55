/**
 * Every transition a machine defines, each with a stable readable key, so
 * that coverage can be counted against the machine itself rather than a
 * hand-kept list. A transition is one candidate of one event in one state
 * node: `collecting-pin.entering: DIGIT [isPound] → verifying-pin`. The
 * same TransitionDefinition objects appear in XState's inspection events,
 * so a run's transitions are matched by identity.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface MachineTransition {
  readonly key: string;
  readonly source: string;
  readonly event: string;
  readonly guard: string | undefined;
  readonly targets: readonly string[];
  readonly definition: object;
}

export interface MachineCatalogue {
  readonly machine: AnyStateMachine;
  /** Every state node path (`collecting-pin.entering`), the root excluded. */
  readonly states: readonly string[];
  readonly transitions: readonly MachineTransition[];
  /** Transition key by definition object. */
  readonly byDefinition: ReadonlyMap<object, MachineTransition>;
}

const pathOf = (node: AnyStateNode) => node.path.join('.') || '(root)';

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guard';
}

/** `after 5s`-style names for delayed events, `done`/`error` for invoked actors. */
export function eventLabel(node: AnyStateNode, eventType: string): string {
  if (eventType === '') return 'always';
  const after = node.after.find((transition) => transition.eventType === eventType);
  if (after) return `after ${typeof after.delay === 'function' || typeof after.delay === 'string' ? String(after.delay) : `${after.delay}ms`}`;
  const done = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (done) return `${done[2]} ${done[1]}`;
  return eventType;
}

function allNodes(node: AnyStateNode, out: AnyStateNode[]): AnyStateNode[] {
  out.push(node);
  for (const child of Object.values(node.states) as AnyStateNode[]) allNodes(child, out);
  return out;
}

export function catalogueMachine(machine: AnyStateMachine): MachineCatalogue {
  const nodes = allNodes(machine.root, []);
  const transitions: MachineTransition[] = [];
  const byDefinition = new Map<object, MachineTransition>();
  const delayNames = new Map<string, string>();
  for (const node of nodes) {
    for (const after of node.after) {
      const delay = after.delay;
      delayNames.set(after.eventType, typeof delay === 'number' ? `${delay}ms` : String(delay));
    }
  }
  for (const node of nodes) {
    const definitions = [...node.transitions.values()].flat().concat(node.always ?? []);
    for (const definition of definitions) {
      const source = pathOf(node);
      const guard = guardName(definition.guard);
      const targets = (definition.target ?? []).map((target: AnyStateNode) => pathOf(target));
      const event = definition.eventType === '' ? 'always' : delayNames.has(definition.eventType) ? `after ${delayNames.get(definition.eventType)}` : eventLabel(node, definition.eventType);
      const key = `${source}: ${event}${guard ? ` [${guard}]` : ''} → ${targets.length ? targets.join(', ') : '(stays)'}${definition.reenter ? ' (re-entered)' : ''}`;
      const entry: MachineTransition = { key, source, event, guard, targets, definition };
      transitions.push(entry);
      byDefinition.set(definition, entry);
    }
  }
  return { machine, states: nodes.filter((node) => node !== machine.root).map(pathOf), transitions, byDefinition };
}
