import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang is still caught; a slow machine (CI runners differ by more than 2×) does not fail a
    // test that builds the whole example. Speed is judged by `npm run bench`, never by a test.
    testTimeout: 180_000,
    pool: 'forks',
  },
});
