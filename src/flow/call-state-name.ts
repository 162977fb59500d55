import type { SnapshotFrom } from 'xstate';
import type { callMachine } from './call-machine.ts';
import { isCallStateName, type CallStateName } from './names.ts';

/**
 * The caller-visible state of a call snapshot: its top-level state. Nested
 * states (which prompt plays, which entry step) stay internal.
 */
export function callStateName(snapshot: SnapshotFrom<typeof callMachine>): CallStateName {
  const value: unknown = snapshot.value;
  const name = typeof value === 'string' ? value : Object.keys(value as object)[0];
  if (name === undefined || !isCallStateName(name)) {
    throw new Error(`call snapshot has no known top-level state: ${JSON.stringify(value)}`);
  }
  return name;
}
