/** A command line the CLI cannot act on: one line on stderr, exit 2. */
export class UsageError extends Error {}

/** The service refused or failed: exit 1 with the problem's detail. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
