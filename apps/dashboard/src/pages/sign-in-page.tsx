import { useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/client';
import { ErrorState } from '../components/states';
import { useApp } from '../state/app-state';
import { hrefOf, parseRoute } from '../state/route';
import { useResource } from '../state/use-resource';

/** Paste a bearer token; in the embedded form, or mint a viewer or auditor token for an organisation. */
export function SignInPage() {
  const { signInNotice } = useApp();
  return (
    <>
      <div class="page-heading">
        <h1 tabIndex={-1}>Sign in</h1>
        <p class="lede">The dashboard reads the ledger with a bearer token: viewers see their organisation, auditors everything.</p>
      </div>
      {signInNotice && (
        <p class="notice" role="alert">
          {signInNotice}
        </p>
      )}
      <div class="two-columns">
        <DevelopmentSignIn />
        <PasteToken />
      </div>
    </>
  );
}

/** Back to the page that was asked for, or to the fleet when the sign-in page itself was. */
function afterSignIn(): void {
  if (parseRoute(window.location.hash).page === 'sign-in') window.location.hash = hrefOf({ page: 'fleet' });
}

function PasteToken() {
  const { signIn } = useApp();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const refused = signIn(token);
    setProblem(refused);
    if (!refused) afterSignIn();
  };
  return (
    <section class="panel" aria-labelledby="paste-token">
      <h2 id="paste-token">Paste a token</h2>
      <form onSubmit={submit} class="stacked-form">
        <label for="token">Bearer token</label>
        <textarea
          id="token"
          rows={5}
          spellcheck={false}
          autocomplete="off"
          value={token}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'token-problem token-help' : 'token-help'}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <p id="token-help" class="help">
          Mint one with <code>npm run cli -- token --role viewer --org &lt;organisationId&gt;</code> (or <code>--role auditor</code>).
        </p>
        {problem && (
          <p id="token-problem" class="field-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={token.trim() === ''}>
          Use this token
        </button>
      </form>
    </section>
  );
}

function DevelopmentSignIn() {
  const { signIn } = useApp();
  const anonymous = new ApiClient({ token: null });
  const { resource, reload } = useResource((signal) => anonymous.developmentSignInOptions(signal), []);
  const [role, setRole] = useState<'viewer' | 'auditor'>('auditor');
  const [organisationId, setOrganisationId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (resource.status === 'loading') return <section class="panel" aria-busy="true" aria-label="Development sign-in" />;
  if (resource.status === 'error') {
    return (
      <section class="panel" aria-labelledby="dev-sign-in">
        <h2 id="dev-sign-in">Development sign-in</h2>
        <ErrorState error={resource.error} onRetry={reload} />
      </section>
    );
  }
  if (resource.data === null) return null;
  const organisations = resource.data.organisations;
  const chosen = organisationId || (role === 'auditor' ? 'ledger-audit' : (organisations[0]?.organisationId ?? ''));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const minted = await anonymous.developmentSignIn(role, chosen);
      const refused = signIn(minted.token);
      if (refused) setProblem(refused);
      else afterSignIn();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="dev-sign-in">
      <h2 id="dev-sign-in">Development sign-in</h2>
      <p class="help">
        This ledger runs on the public development secret, so anyone can mint tokens for it: choose a read-only role and an organisation. (A deployment with its own
        <code> JWT_SECRET</code> offers no such thing.)
      </p>
      <form onSubmit={submit} class="stacked-form">
        <fieldset>
          <legend>Role</legend>
          <label class="radio">
            <input type="radio" name="role" value="auditor" checked={role === 'auditor'} onChange={() => (setRole('auditor'), setOrganisationId(''))} />
            Auditor: sees every organisation
          </label>
          <label class="radio">
            <input type="radio" name="role" value="viewer" checked={role === 'viewer'} onChange={() => (setRole('viewer'), setOrganisationId(''))} />
            Viewer: sees one organisation's data centers
          </label>
        </fieldset>
        <label for="organisation">{role === 'auditor' ? 'Audit firm' : 'Organisation'}</label>
        {role === 'viewer' ? (
          organisations.length === 0 ? (
            <p class="help">No organisation is registered yet: sign in as an auditor, or start with --demo.</p>
          ) : (
            <select id="organisation" value={chosen} onChange={(e) => setOrganisationId(e.currentTarget.value)}>
              {organisations.map((o) => (
                <option key={o.organisationId} value={o.organisationId}>
                  {o.name} ({o.organisationId})
                </option>
              ))}
            </select>
          )
        ) : (
          <input id="organisation" type="text" value={chosen} onInput={(e) => setOrganisationId(e.currentTarget.value)} autocomplete="organization" />
        )}
        {problem && (
          <p class="field-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={busy || chosen === ''}>
          {busy ? 'Signing in…' : `Sign in as ${role}`}
        </button>
      </form>
    </section>
  );
}
