/** The XState options every call and conference actor of one Ivr runs with. */
import type { ActorOptions, AnyActorLogic } from 'xstate';

export type SharedActorOptions = Pick<ActorOptions<AnyActorLogic>, 'clock' | 'inspect'>;

/** Only the options given, so an absent clock means XState's real one. */
export function sharedActorOptions(given: SharedActorOptions): SharedActorOptions {
  return {
    ...(given.clock === undefined ? {} : { clock: given.clock }),
    ...(given.inspect === undefined ? {} : { inspect: given.inspect }),
  };
}
