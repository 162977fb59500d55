import { DialinError } from '../errors.ts';

/** Flow options out of range or unknown. */
export class FlowOptionsError extends DialinError {
  constructor(message: string) {
    super('E_FLOW_OPTIONS', message);
  }
}

/**
 * Input the IVR cannot accept: a key that is not DTMF, an unknown prompt
 * name, an empty or reserved call id, a call id already in use, or any call
 * after `stop()`.
 */
export class FlowInputError extends DialinError {
  constructor(message: string) {
    super('E_FLOW_INPUT', message);
  }
}
