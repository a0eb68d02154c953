import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * How the PostgreSQL binaries are run. PostgreSQL refuses to run as root ("root execution of the PostgreSQL server
 * is not permitted"), so a root user needs another identity for it:
 * - `direct`: not root, the binaries run as the caller;
 * - `user-namespace`: root, the binaries run inside a user namespace (`unshare --user`) where root is mapped to an
 *   unprivileged id. Outside the namespace the process is still root, so it reaches the binaries and the data
 *   directory wherever they are, a clone in root's 0700 home included, and every file it writes belongs to root;
 * - `system-user`: root on a machine that allows no user namespaces (e.g. a container under a seccomp profile):
 *   the binaries run as an existing unprivileged account, which then needs to reach them and the data directory.
 */
export type RunAs =
  | { readonly kind: 'direct' }
  | { readonly kind: 'user-namespace'; readonly uid: number; readonly gid: number }
  | { readonly kind: 'system-user'; readonly user: string; readonly uid: number; readonly gid: number; readonly namespaceError: string };

export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

/** Decides how this process can run PostgreSQL (once per start). */
export async function chooseRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return { kind: 'direct' };
  const nobody = unprivilegedAccount();
  try {
    // Mapping root to `nobody` inside the namespace: PostgreSQL looks the effective user up by id, so it must exist.
    await run('unshare', ['--user', `--map-user=${nobody.uid}`, `--map-group=${nobody.gid}`, 'true'], { timeout: 10_000 });
    return { kind: 'user-namespace', uid: nobody.uid, gid: nobody.gid };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { kind: 'system-user', ...nobody, namespaceError: (e.stderr || e.message).trim() };
  }
}

/** The command line that runs `binary args` with the chosen identity. */
export function invocation(runAs: RunAs, binary: string, args: readonly string[]): Invocation {
  switch (runAs.kind) {
    case 'direct':
      return { command: binary, args };
    case 'user-namespace':
      return { command: 'unshare', args: ['--user', `--map-user=${runAs.uid}`, `--map-group=${runAs.gid}`, '--', binary, ...args] };
    case 'system-user':
      return { command: binary, args, uid: runAs.uid, gid: runAs.gid };
  }
}

/** Whether `runAs` can execute `binary` at all (a private parent directory stops a system user). */
export function canExecute(runAs: RunAs, binary: string): { ok: true } | { ok: false; reason: string } {
  const call = invocation(runAs, binary, ['--version']);
  const result = spawnSync(call.command, call.args, { uid: call.uid, gid: call.gid, encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return { ok: true };
  return { ok: false, reason: (result.error?.message ?? result.stderr ?? `exit ${result.status}`).trim() };
}

/** `postgres` when the machine has that account (Debian's PostgreSQL packages create it), else `nobody`. */
function unprivilegedAccount(): { user: string; uid: number; gid: number } {
  const accounts = passwd();
  return accounts.find((a) => a.user === 'postgres') ?? accounts.find((a) => a.user === 'nobody') ?? { user: 'nobody', uid: 65534, gid: 65534 };
}

function passwd(): { user: string; uid: number; gid: number }[] {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .filter((fields) => fields.length >= 4 && fields[2] !== '0')
      .map(([user, , uid, gid]) => ({ user, uid: Number(uid), gid: Number(gid) }));
  } catch {
    return [];
  }
}
