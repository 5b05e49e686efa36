/**
 * The plan of a run: every mutating step goes through `Plan.apply`, which records it and, in a
 * dry run, skips it. `--dry-run` prints the recorded steps; a normal run reports them as `changes`.
 */

export type StepKind = 'create' | 'update' | 'delete' | 'deploy';

export interface PlannedStep {
  kind: StepKind;
  /** What is changed, e.g. `application my-app-feature-x` or `domain x.example.com`. */
  target: string;
  /** Extra words for people, e.g. `flavor XS`. */
  detail?: string;
}

export function describeStep(s: PlannedStep): string {
  return `${s.kind} ${s.target}${s.detail ? ` (${s.detail})` : ''}`;
}

export class Plan {
  readonly steps: PlannedStep[] = [];
  /**
   * `onStep` hears of each step as it is taken (or, in a dry run, planned): the CLI logs it, so
   * a log shows what was changed even when a later step fails.
   */
  constructor(
    readonly dryRun: boolean,
    private readonly onStep?: (step: PlannedStep) => void,
  ) {}

  /**
   * Records the step and runs it, or in a dry run returns `dryValue` without running it.
   * Providers must send every mutating request through here.
   */
  async apply<T>(step: PlannedStep, run: () => Promise<T>, dryValue: T): Promise<T> {
    this.steps.push(step);
    this.onStep?.(step);
    if (this.dryRun) return dryValue;
    return run();
  }

  describe(): string[] {
    return this.steps.map(describeStep);
  }
}
