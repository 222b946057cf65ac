/**
 * `parley test FILE…`: play conversation scenario files against the bots they name, each on an
 * ephemeral portal of its own (docs/TESTING.md). Exit 0 when every scenario passed, 1 when one
 * failed, 2 when a file is malformed (nothing is run then).
 */
import fs from 'node:fs';
import type { Command } from 'commander';

export function testCommand(cli: Command, usage: (message: string) => Error): void {
  cli.command('test <files...>')
    .description('play conversation scenario files (YAML or JSON) against the bots they start; exit 1 when one fails')
    .option('--junit <file>', 'also write a JUnit XML report there (for CI)')
    .option('--verbose', "print the ephemeral portal's log")
    .action(async (files: string[], o: { junit?: string; verbose?: boolean }) => {
      // Loaded only here: the other commands start faster without the server.
      const { loadScenarioFile, runScenarios, textReport, junitReport, totals, ScenarioFileError } = await import('../testing/index.ts');
      let loaded;
      try {
        loaded = files.map((f) => loadScenarioFile(f));
      } catch (err) {
        if (err instanceof ScenarioFileError) throw usage(err.message);
        throw err;
      }
      const results = [];
      for (const l of loaded) {
        const r = await runScenarios(l, { verbose: o.verbose });
        console.log(textReport(r));
        results.push(r);
      }
      const { passed, failed } = totals(results);
      console.log(`\n${passed} passed, ${failed} failed`);
      if (o.junit) fs.writeFileSync(o.junit, junitReport(results));
      if (failed) process.exitCode = 1;
    });
}
