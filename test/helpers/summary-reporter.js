// Prints the closing line CI reads: "jest: <passed> passed, <failed> failed[, <skipped> skipped]".
// Jest's own summary ("Tests: 5 passed, 5 total") is not in the plain form CI recognises.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${failed} failed${tail}\n`);
  }
}
module.exports = SummaryReporter;
