/**
 * Conversation tests for Bitrix24 bots, as a library (the package's `./testing` export): start an
 * ephemeral portal with the bot under test and talk to it from node:test, vitest or jest, or play
 * scenario files as `parley test` does. docs/TESTING.md describes both.
 */
export { startConversation, Conversation, Person, ExpectationFailed, type ChatRef, type ConversationOptions } from './conversation.ts';
export { loadScenarioFile, checkScenarios, ScenarioFileError, type LoadedScenarios, type Scenario, type Step, type Expectation } from './scenario-file.ts';
export { runScenarios, type FileResult, type ScenarioResult } from './run-scenarios.ts';
export { textReport, junitReport, totals } from './report.ts';
export type { SeenMessage } from './expectations.ts';
