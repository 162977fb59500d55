/** Test helper: what to print when an end-to-end test fails. */
import type { Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { logText } from './softphone-driver.ts';

/** When the running test fails, prints each page's call log (what the server said, what was keyed). */
export function printLogsOnFailure(pages: Readonly<Record<string, Page>>): void {
  onTestFailed(async () => {
    for (const [name, page] of Object.entries(pages)) console.error(`--- call log of ${name} ---\n${await logText(page)}`);
  });
}
