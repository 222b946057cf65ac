/**
 * One row of the documented-shapes table (test/documented-shapes.test.ts): a method, how to call it,
 * and the `result` of its documented example response (seed, "Chat API"; English docs where the
 * seed lost the example). Each family of methods keeps its rows in its own file in this folder.
 */

/** What a row's setup can use: REST calls as any seeded user, through their incoming webhooks. */
export interface ShapeEnv {
  /** Call a method as user `as` (1 admin, 2 anna, 3 ivan, 4 maria, 5 john; default 1); the `result`, or throws on an error. */
  call(method: string, params?: Record<string, unknown>, as?: number): Promise<any>;
  /** The portal's public URL, e.g. for uploads that are not REST calls. */
  url: string;
  /** The webhook base URL of a seeded user (ends with '/'). */
  hook(as?: number): string;
}

export interface ShapeCase {
  method: string;
  /** Which user calls the method (default 1). */
  as?: number;
  /** Parameters of the call; may create what the call needs first. Rows run in file order, one portal for all. */
  params?: (env: ShapeEnv) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The documented example's `result`, verbatim. Every key in it must be in the answer, at every depth. */
  example: unknown;
  /**
   * Dotted paths (`users.0.phones`, `*` for any key) whose documented keys are not compared, each
   * with the reason, e.g. a key the docs show for a module Parley does not have.
   */
  skip?: Record<string, string>;
}
