// The README's example of using dialin-sim from your own tests, verbatim.
import { describe, expect, it } from 'vitest';
import { formatRun, parseScenario, runScenario, runScenarioFile } from 'dialin-sim';

describe('my call flows', () => {
  it('starts the meeting with the organizer PIN', async () => {
    const result = await runScenarioFile('scenarios/organizer-pin-starts-meeting-admits-lobby.yaml');
    expect(result.passed, formatRun(result, false).join('\n')).toBe(true);
  });

  it('locks the organizer out after two wrong PINs', async () => {
    const spec = await parseScenario(
      `
name: strict lockout
deployment:
  policy: { maxLogonAttempts: { local: 2, global: 100 } }
  users:
    - { id: amos, name: Amos Marble, email: amos@contoso.com, pin: "24680" }
  conferences:
    - { id: "123456", organizer: amos }
calls:
  - id: caller
    steps:
      - press: { digits: "123456#", leadMs: 3000 }
      - press: { digits: "*", leadMs: 500 }
      - expect: { prompt: enter-pin }
      - press: "11111#"
      - expect: { prompt: invalid-pin }
      - press: "22222#"
      - expect: { state: locked-out }
expect:
  - { user: amos, lockedOut: true }
`,
      'strict-lockout.yaml',
    );
    const result = await runScenario(spec);
    expect(result.passed, formatRun(result, false).join('\n')).toBe(true);
    const heard = result.timeline.filter((event) => event.type === 'digit-heard').map((event) => event.digit);
    expect(heard.join('')).toBe('123456#*11111#22222#');
  });
});
