export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface VitestRun extends TestCounts {
  status: number | null;
  /** Vitest's output, when stdio is 'pipe'. */
  output: string;
}

export function runVitest(args: string[], options?: { stdio?: 'inherit' | 'pipe' }): VitestRun;
export function summaryLine(counts: TestCounts): string;
