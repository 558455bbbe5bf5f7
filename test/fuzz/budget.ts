/**
 * The fuzz budget of issue #7: 100,000 inputs in all, with one fixed seed so that a failure in CI replays the
 * same way on a laptop (fast-check prints the seed and the path of a counterexample).
 */
export const FUZZ_SEED = 20261127;

export const FUZZ_BUDGET = {
  /** Pure: parseTime and parseSchedule (src/time). */
  timeGrammar: 60_000,
  /** Pure: cardValueSchema. */
  cardSchema: 32_000,
  /** Redis-backed: dispatcher.processAction on the sandbox. */
  cardActions: 2_000,
  /** Redis-backed: dispatcher.processMessage on the sandbox. */
  commands: 6_000,
} as const;

export const FUZZ_TOTAL = 100_000;

/** Chinese in a message: at least one CJK ideograph. */
export const CHINESE = /[\u4e00-\u9fff]/;
