/** Base class of Dalil's errors; keeps the cause. */
export class DalilError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DalilError';
  }
}

/** The name of an error for logs: its class name, never its message (which may quote user text). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name || 'Error' : typeof err;
}

/** One problem found in a content, intent or locale file, with its position. */
export interface ContentIssue {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  /** In English, for `content:check` and logs. */
  message: string;
  /**
   * What the issue is, for interfaces that say it in their user's language (the editors' app):
   * a stable id such as "sms.tooLong", with the values its sentence needs in `params`.
   */
  code?: string;
  params?: Record<string, string | number>;
}

/** Formats an issue as `file:line: severity: message` (the form editors and editors' tools read). */
export function formatIssue(issue: ContentIssue): string {
  return `${issue.file}:${issue.line}: ${issue.severity}: ${issue.message}`;
}

/** The knowledge base failed validation; the server refuses to start. */
export class ContentError extends DalilError {
  readonly issues: ContentIssue[];
  constructor(issues: ContentIssue[]) {
    super(
      `content is invalid (${issues.filter((i) => i.severity === 'error').length} errors):\n` +
        issues.map(formatIssue).join('\n'),
    );
    this.name = 'ContentError';
    this.issues = issues;
  }
}

/** Configuration is missing or malformed. */
export class ConfigError extends DalilError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The request body or parameters are malformed (answered with 400). */
export class BadRequestError extends DalilError {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}
