/** Something a checker found wrong: which property, in a sentence, and when (ms) if it happened at a moment. */
export interface Violation {
  checker: string;
  message: string;
  at?: number;
}

/** A checker's verdict for the report. */
export interface CheckResult {
  checker: string;
  /** What was checked ("4,213 reads", "37 orders"). */
  checked: string;
  violations: Violation[];
}
