import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report lets .ci/run print a one-line 'N passed, M failed'.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep socket and browser tests from starving each other.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
