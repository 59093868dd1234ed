/**
 * Every diagnostic code WaferScope emits. `CoreDiagnostic.code` is typed by this list, so a new
 * code cannot ship without being listed here, and a unit test checks that the README's reference
 * section documents each one (diagnostics link there through `codeDescription`).
 */
export const DIAGNOSTIC_CODES = [
  // Reading and validating a file
  'syntax',
  'wrong-type',
  'unknown-key',
  'missing-key',
  'not-divisible',
  'top-k-exceeds-experts',
  'batch-below-systems',
  'batch-not-multiple',
  'out-of-range',
  'invalid-value',
  'not-modelled',
  'unsupported-model-type',
  'approximate-reading',
  'cbfloat16-loss-scaling',
  'step-count-overflow',
  'no-effect-on-csx',
  'cluster-not-found',
  'unknown-override',
  // The simulator's findings
  'memoryx-capacity',
  'memoryx-headroom',
  'wafer-sram',
  'wafer-headroom',
  'io-bound',
  'num-csx-exceeds-cluster',
  'micro-batch-explore',
  // The planner (waferscope plan, the Plan tab)
  'plan-deadline-missed',
  'plan-no-candidate',
  // Hostile or broken input
  'too-deeply-nested',
  'too-many-diagnostics',
  // A caught bug
  'internal-error',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
