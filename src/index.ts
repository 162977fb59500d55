/**
 * The public API of dialin-sim: explicit re-exports of the pieces meant to
 * be used from other programs and tests. Everything else is internal.
 */

// Errors every part throws for bad input, each with a stable `code`.
export { DialinError, UsageError, WavFormatError, AudioParameterError, isDialinError } from './errors.ts';

// DTMF: keys, synthesis, the in-band detector and the decoder engines.
export { DTMF_KEYS, ROW_HZ, COLUMN_HZ, KEYPAD, isDtmfKey, keyFrequencies } from './dsp/dtmf-keys.ts';
export type { DtmfKey, DigitEvent, KeyFrequencies } from './dsp/dtmf-keys.ts';
export { synthesizeDtmf, DEFAULT_SYNTH_OPTIONS } from './dsp/dtmf-generator.ts';
export type { DtmfSynthOptions } from './dsp/dtmf-generator.ts';
export { DtmfDetector } from './dsp/dtmf-detector.ts';
export type { DtmfDetectorOptions } from './dsp/dtmf-detector.ts';
export { encodeMulaw, decodeMulaw, encodeAlaw, decodeAlaw } from './dsp/g711.ts';
export { createDigitDecoder } from './engines/create-digit-decoder.ts';
export { ENGINE_NAMES } from './engines/digit-decoder.ts';
export type { DigitDecoder, EngineName } from './engines/digit-decoder.ts';

// WAV files.
export { readWav, decodeWav } from './wav/wav-reader.ts';
export type { WavAudio, WavInfo, WavReadOptions } from './wav/wav-reader.ts';
export { writeWav, writeWavFile } from './wav/wav-writer.ts';
export type { WavWriteInput } from './wav/wav-writer.ts';

// The call flow: the Ivr driving the XState call and conference machines.
export { createIvr } from './flow/ivr.ts';
export type { Ivr, IvrConfig, IvrListener, IvrClock } from './flow/ivr.ts';
export type { IvrEvent, ConferenceSnapshot, AppJoinResult } from './flow/ivr-events.ts';
export { callMachine } from './flow/call-machine.ts';
export { conferenceMachine } from './flow/conference-machine.ts';
export { CALL_STATES, PROMPTS, LOOPED_PROMPTS, isCallStateName, isPromptName } from './flow/names.ts';
export type { CallStateName, PromptName } from './flow/names.ts';
export { DEFAULT_FLOW_OPTIONS, resolveFlowOptions } from './flow/flow-options.ts';
export type { FlowOptions } from './flow/flow-options.ts';
export type { DirectoryPort, ConferenceInfo, PinVerification, PinChange, PinEntryLimits } from './flow/directory-port.ts';

// The PIN directory (SQLite) and deployment files.
export { PinDirectory } from './directory/pin-directory.ts';
export type { PinDirectoryOptions, MailRecipient } from './directory/pin-directory.ts';
export type { EffectivePolicy, PolicyScope } from './directory/policy-scope.ts';
export { SmtpTransport } from './directory/mail/smtp-transport.ts';
export { EmlFolder, mailFolderFor } from './directory/mail/eml-folder.ts';
export { MemoryMailbox } from './directory/mail/memory-mailbox.ts';
export { MailError } from './directory/mail/mail-error.ts';
export type { MailTransport, Mailbox } from './directory/mail/mail-transport.ts';
export type { MailOutcome } from './directory/mail/mailer.ts';
export { loadDeployment, applyDeployment } from './directory/deployment.ts';
export type { Deployment } from './directory/deployment.ts';
export { manualClock, systemClock } from './directory/clock.ts';
export type { Clock, ManualClock } from './directory/clock.ts';
export { DirectoryError, PinPolicyError, SettingError, DeploymentError, PermissionError } from './directory/errors.ts';
// Admin accounts, web sessions, sign-in links and the actions the admin center, /me and the CLI share.
export { DirectoryActions, CLI_ACTOR, actorName, actorOf } from './directory/directory-actions.ts';
export type { Actor, SettingsChange } from './directory/directory-actions.ts';
export { ADMIN_ROLES, ADMIN_LOCKOUT, PASSWORD_LENGTH } from './directory/access/admin-accounts.ts';
export type { AdminAccount, AdminRole, SignInResult } from './directory/access/admin-accounts.ts';
export { SESSION_TIMING, csrfMatches } from './directory/access/web-sessions.ts';
export type { WebSession, NewSession, SessionSubject, SessionFor } from './directory/access/web-sessions.ts';
export { SIGN_IN_LINK_TIMING } from './directory/access/sign-in-links.ts';
export type { SignInLink, SignInLinkMailer, SignInLinkRequested, RedeemResult } from './directory/access/sign-in-links.ts';
export type { ConferenceIdReset } from './directory/conference-ids.ts';
export type { UserQuery, UserMatch } from './directory/user-search.ts';
export type { AuditEntry } from './directory/audit-log.ts';

// One call's media and session, as the server and the scenario runner use them.
export { CallMedia } from './media/call-media.ts';
export { PromptLibrary } from './media/prompt-library.ts';
export { loadPromptLibrary } from './media/load-prompt-library.ts';
export { CallSession } from './session/call-session.ts';
export type { CallEvent } from './session/call-events.ts';

// The WebSocket server.
export { startServer } from './server/server.ts';
export type { RunningServer } from './server/server.ts';

// Scenarios: parse, run, report, record.
export { parseScenario } from './scenario/parse/parse-scenario.ts';
export type { ParseScenarioOptions } from './scenario/parse/parse-scenario.ts';
export { runScenario, runScenarioFile, defaultPrompts, DEFAULT_RUN_OPTIONS } from './scenario/run/run-scenario.ts';
export type { RunScenarioOptions } from './scenario/run/run-scenario.ts';
export { ScenarioError, SCENARIO_ERROR_CODES } from './scenario/parse/scenario-error.ts';
export type { ScenarioErrorCode } from './scenario/parse/scenario-error.ts';
export type { ScenarioSpec, CallSpec, StepSpec, CallExpectation, FinalExpectation, PressSpec } from './scenario/parse/scenario-schema.ts';
export type { ScenarioResult, TimelineEvent, ExpectationResult } from './scenario/scenario-result.ts';
export { formatTimeline, formatRun } from './scenario/report/timeline.ts';
export { formatTranscript, compareTranscript, transcriptPathFor } from './scenario/report/transcript.ts';
export { unifiedDiff } from './scenario/report/line-diff.ts';
export { runSuite, findScenarioFiles } from './scenario/report/run-suite.ts';
export type { SuiteCase, SuiteOptions } from './scenario/report/run-suite.ts';
export { formatJunit } from './scenario/report/junit.ts';
export type { JunitCase, JunitSuite } from './scenario/report/junit.ts';
export { renderCallPicture } from './scenario/record/call-picture.ts';
export { recordingToWav } from './scenario/record/call-recording.ts';
export type { CallRecording } from './scenario/scenario-result.ts';
export { writeRecordings } from './scenario/record/write-recordings.ts';
export { parseDuration, formatDuration, formatClock } from './scenario/duration.ts';
export { runPaths } from './scenario/coverage/run-paths.ts';
export { CoverageRecorder } from './scenario/coverage/coverage-recorder.ts';
export { catalogueMachine } from './scenario/coverage/machine-transitions.ts';
