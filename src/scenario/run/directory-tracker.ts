/**
 * Wraps the directory the flow uses so that the simulation knows when
 * directory work is in flight. Before simulated time moves on, the run
 * waits for every pending call (a PIN check's scrypt runs on the thread
 * pool in real time) and for the flow to act on the answers, so directory
 * work takes no simulated time and runs are deterministic.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DirectoryPort } from '../../flow/directory-port.ts';

export interface TrackedDirectory {
  readonly port: DirectoryPort;
  /** Whether directory work is in flight (settle() has something to wait for). */
  readonly busy: boolean;
  /** Resolves once no directory call is pending and the flow has handled every answer. */
  settle(): Promise<void>;
}

export function trackDirectory(directory: DirectoryPort): TrackedDirectory {
  const pending = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    promise.then(
      () => pending.delete(promise),
      () => pending.delete(promise),
    );
    return promise;
  };
  return {
    port: {
      findConference: (conferenceId) => track(directory.findConference(conferenceId)),
      verifyLeaderPin: (conferenceId, pin) => track(directory.verifyLeaderPin(conferenceId, pin)),
      changePin: (userId, newPin) => track(directory.changePin(userId, newPin)),
      pinEntryLimits: () => directory.pinEntryLimits(),
    },
    get busy() {
      return pending.size > 0;
    },
    async settle() {
      while (pending.size > 0) {
        await Promise.allSettled([...pending]);
        // Let the flow's own promise handlers run (they may start more work).
        await nextTurn();
      }
    },
  };
}
