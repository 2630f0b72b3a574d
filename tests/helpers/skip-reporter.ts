/**
 * A vitest reporter that ends the run with the list of every skipped test and the reason it was
 * skipped: the note given to `ctx.skip(note)`, or the `skipReason` of a suite declared through
 * tests/helpers/requirements.ts. A skip without a reason is listed as such, so it stands out.
 */
import type { Reporter, TestModule, TestCase, TestSuite } from 'vitest/node';

function reasonOf(test: TestCase): string | undefined {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  let node: TestCase | TestSuite | TestModule = test;
  while (node.type !== 'module') {
    const reason = node.meta().skipReason;
    if (reason) return reason;
    node = node.parent;
  }
  return undefined;
}

export default class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: { where: string; reason: string }[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        skipped.push({ where: `${module.relativeModuleId} > ${test.fullName}`, reason: reasonOf(test) ?? 'NO REASON GIVEN' });
      }
    }
    if (!skipped.length) {
      process.stdout.write('\nSkipped tests: none\n');
      return;
    }
    const byReason = new Map<string, string[]>();
    for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.where]);
    const lines = [`\nSkipped tests: ${skipped.length}`];
    for (const [reason, tests] of byReason) {
      lines.push(`  because ${reason}:`);
      for (const t of tests) lines.push(`    - ${t}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
