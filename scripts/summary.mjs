// Prints one plain `N passed, N failed, N skipped` line built from the JSON reporters, which CI reads.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync('.reports/vitest.json')) {
  const report = JSON.parse(readFileSync('.reports/vitest.json', 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
if (existsSync('.reports/playwright.json')) {
  const report = JSON.parse(readFileSync('.reports/playwright.json', 'utf8'));
  const stats = report.stats;
  passed += stats.expected + stats.flaky;
  // Errors outside any test (global setup, a file that fails to load) count as failures too.
  failed += stats.unexpected + (report.errors?.length ?? 0);
  skipped += stats.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
