/**
 * The directory work of a call as promise actors. Each takes its
 * DirectoryPort from its input, so tests can either pass a fake port or
 * replace the actor with `machine.provide({ actors })`.
 */
import { fromPromise } from 'xstate';
import type { ConferenceInfo, DirectoryPort, PinChange, PinVerification } from './directory-port.ts';

export interface LookupConferenceInput {
  readonly directory: DirectoryPort;
  readonly conferenceId: string;
}

export interface VerifyPinInput {
  readonly directory: DirectoryPort;
  readonly conferenceId: string;
  readonly pin: string;
}

export interface ChangePinInput {
  readonly directory: DirectoryPort;
  readonly userId: string;
  readonly newPin: string;
}

export const lookupConference = fromPromise<ConferenceInfo | undefined, LookupConferenceInput>(
  ({ input }) => input.directory.findConference(input.conferenceId),
);

export const verifyPin = fromPromise<PinVerification, VerifyPinInput>(({ input }) =>
  input.directory.verifyLeaderPin(input.conferenceId, input.pin),
);

export const changePin = fromPromise<PinChange, ChangePinInput>(({ input }) =>
  input.directory.changePin(input.userId, input.newPin),
);
