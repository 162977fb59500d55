/**
 * Mermaid stateDiagram-v2 text for an XState machine, derived by walking
 * its state nodes and transitions, so the diagram cannot drift from the
 * machine. Mermaid cannot draw an edge between states nested in different
 * composite states, so such an edge is drawn between their ancestors that
 * are siblings; an edge from a composite state into its own descendant
 * (a handler valid in every child) becomes a note on the target.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

interface Edge {
  readonly from: AnyStateNode;
  readonly to: AnyStateNode;
  readonly label: string;
}

const mermaidId = (node: AnyStateNode) => node.path.map((key: string) => key.replace(/[^A-Za-z0-9]/g, '_')).join('__');

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  return 'guard';
}

function eventLabel(node: AnyStateNode, eventType: string): string {
  if (eventType === '') return 'always';
  const after = node.after.find((transition) => transition.eventType === eventType);
  if (after) return `after ${typeof after.delay === 'function' ? 'delay' : String(after.delay)}`;
  const done = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (done) return `${done[2]} ${done[1]}`;
  return eventType;
}

function collectEdges(node: AnyStateNode, edges: Edge[]): void {
  const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
  for (const transition of transitions) {
    const guard = guardName(transition.guard);
    const label = eventLabel(node, transition.eventType) + (guard ? ` [${guard}]` : '');
    for (const target of transition.target ?? []) edges.push({ from: node, to: target, label });
  }
  for (const child of Object.values(node.states) as AnyStateNode[]) collectEdges(child, edges);
}

function isAncestor(ancestor: AnyStateNode, node: AnyStateNode): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** The children of the lowest common ancestor on the way to `from` and `to`, and that ancestor. */
function liftEdge(from: AnyStateNode, to: AnyStateNode) {
  const fromPath: AnyStateNode[] = [];
  for (let node: AnyStateNode | undefined = from; node; node = node.parent) fromPath.unshift(node);
  const toPath: AnyStateNode[] = [];
  for (let node: AnyStateNode | undefined = to; node; node = node.parent) toPath.unshift(node);
  let depth = 0;
  while (depth < fromPath.length && depth < toPath.length && fromPath[depth] === toPath[depth]) depth++;
  return { scope: fromPath[depth - 1]!, from: fromPath[depth] ?? from, to: toPath[depth] ?? to };
}

export function machineToMermaid(machine: AnyStateMachine): string {
  const edges: Edge[] = [];
  collectEdges(machine.root, edges);
  const edgeLines = new Map<AnyStateNode, string[]>();
  const seen = new Set<string>();
  const add = (scope: AnyStateNode, line: string) => {
    if (seen.has(`${mermaidId(scope)} ${line}`)) return;
    seen.add(`${mermaidId(scope)} ${line}`);
    edgeLines.set(scope, [...(edgeLines.get(scope) ?? []), line]);
  };
  for (const edge of edges) {
    if (edge.from === edge.to) {
      add(edge.from.parent ?? edge.from, `${mermaidId(edge.from)} --> ${mermaidId(edge.to)} : ${edge.label}`);
    } else if (isAncestor(edge.from, edge.to)) {
      const lifted = liftEdge(edge.from, edge.to);
      const where = edge.from.parent ? `any state of ${edge.from.key}` : 'any state';
      add(lifted.scope, `note right of ${mermaidId(lifted.to)} : ${edge.label} from ${where}`);
    } else {
      const lifted = liftEdge(edge.from, edge.to);
      add(lifted.scope, `${mermaidId(lifted.from)} --> ${mermaidId(lifted.to)} : ${edge.label}`);
    }
  }

  const lines = ['stateDiagram-v2'];
  const writeBody = (node: AnyStateNode, indent: string) => {
    const children = Object.values(node.states) as AnyStateNode[];
    const initial = node.type === 'compound' ? node.initial.target[0] : undefined;
    if (initial) lines.push(`${indent}[*] --> ${mermaidId(initial)}`);
    for (const child of children) {
      const label = `state "${child.key}" as ${mermaidId(child)}`;
      if (child.type === 'compound' || child.type === 'parallel') {
        lines.push(`${indent}${label} {`);
        writeBody(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${label}`);
      }
      if (child.type === 'final') lines.push(`${indent}${mermaidId(child)} --> [*]`);
    }
    for (const line of edgeLines.get(node) ?? []) lines.push(`${indent}${line}`);
  };
  writeBody(machine.root, '  ');
  return lines.join('\n');
}
