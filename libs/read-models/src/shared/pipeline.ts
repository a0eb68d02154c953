/**
 * Statements sent on one client without waiting for each: the client queues them and PostgreSQL runs them in
 * order, inside the transaction, while JS goes on. `drain` awaits them all in order and rethrows the first
 * failure (after one, the transaction is aborted and every later statement fails too; the engine rolls the
 * batch back). Each is caught at once, so a failure is never an unhandled rejection while JS is busy.
 */
export class Pipeline {
  private readonly sent: Promise<unknown>[] = [];

  send(statement: Promise<unknown>): void {
    statement.catch(() => undefined);
    this.sent.push(statement);
  }

  async drain(): Promise<void> {
    for (const statement of this.sent) await statement;
  }
}
