/** An error the user can fix: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {}
