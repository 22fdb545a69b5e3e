/**
 * The explorer page: a sign-in bar above GraphiQL, and the denials of the last operation explained
 * (path, code, rule, required and missing permissions). Everything it loads comes from this server.
 */
import 'graphiql/style.css';
import './explorer.css';
import { GraphiQL } from 'graphiql';
import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { createExplorerFetcher, type Denial } from './fetcher.js';
import { ExplorerSession, SignInError } from './session.js';
import type { ExplorerDemoUser, ExplorerPageSettings } from './settings.js';

const DEFAULT_QUERY = `# Sign in above, then run an operation (Ctrl+Enter). Denied fields answer null,
# and the bar above the editor explains why.
query Menu {
  menuItems(first: 5) {
    edges { node { id name price } }
  }
}

mutation CreateMenuItem {
  createMenuItem(input: { name: "Ice cream", price: 350, description: "Cold", image: "https://example.com/ice-cream.png" }) {
    id
    name
    price
  }
}

query Me {
  me { email roles permissions }
}
`;

function SignInForm({ session, demoUsers }: { session: ExplorerSession; demoUsers: readonly ExplorerDemoUser[] }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(email, password);
      setPassword('');
    } catch (caught) {
      setError(caught instanceof SignInError ? caught.message : 'The server could not be reached');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="explorer-sign-in" onSubmit={submit} data-testid="sign-in">
      <input type="email" placeholder="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} name="email" required />
      <input type="password" placeholder="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} name="password" required />
      <button type="submit" disabled={busy} data-testid="sign-in-button">
        Sign in
      </button>
      {demoUsers.length > 0 && (
        <span className="explorer-demo-users" data-testid="demo-users">
          Demo users:
          {demoUsers.map((user) => (
            <button
              type="button"
              key={user.email}
              title={user.password ? 'Fill in this demo user' : 'Its password is set by SEED_*_PASSWORD'}
              onClick={() => {
                setEmail(user.email);
                setPassword(user.password ?? '');
              }}
            >
              {user.email} <small>({user.role})</small>
            </button>
          ))}
        </span>
      )}
      {error && (
        <span className="explorer-error" role="alert" data-testid="sign-in-error">
          {error}
        </span>
      )}
    </form>
  );
}

function SignedIn({ session }: { session: ExplorerSession }) {
  const { viewer, refreshAt } = useSyncExternalStore(session.subscribe, session.state);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!viewer) return null;
  return (
    <div className="explorer-viewer" data-testid="viewer">
      <span>
        Signed in as <strong data-testid="viewer-name">{viewer.fullName}</strong> ({viewer.email}) · roles:{' '}
        <span data-testid="viewer-roles">{viewer.roles.join(', ') || 'none'}</span> · permissions:{' '}
        <span data-testid="viewer-permissions">{viewer.permissions.join(', ') || 'none'}</span>
      </span>
      {refreshAt && <small className="explorer-refresh">token refreshes in {Math.max(0, Math.round((refreshAt - now) / 1000))} s</small>}
      <button type="button" onClick={() => void session.signOut()} data-testid="sign-out">
        Sign out
      </button>
    </div>
  );
}

function Denials({ denials }: { denials: Denial[] }) {
  if (denials.length === 0) return null;
  return (
    <ul className="explorer-denials" data-testid="denials">
      {denials.map((denial, index) => (
        <li key={index}>
          <code>{denial.path}</code> <strong>{denial.code}</strong> {denial.message}
          {denial.rule && (
            <>
              {' '}
              · rule <code>{denial.rule}</code>
            </>
          )}
          {denial.required && denial.required.length > 0 && (
            <>
              {' '}
              · required {denial.mode === 'ANY' ? 'one of ' : ''}
              <code>{denial.required.join(', ')}</code>
            </>
          )}
          {denial.missing && denial.missing.length > 0 && (
            <>
              {' '}
              · missing <code>{denial.missing.join(', ')}</code>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Explorer({ settings }: { settings: ExplorerPageSettings }) {
  const url = new URL(settings.graphqlPath, window.location.href);
  const wsUrl = new URL(url);
  wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const [session] = useState(() => new ExplorerSession(url.toString(), settings.sessionDocuments));
  const { viewer } = useSyncExternalStore(session.subscribe, session.state);
  const [denials, setDenials] = useState<Denial[]>([]);
  const [explorerFetcher] = useState(() => createExplorerFetcher({ url: url.toString(), wsUrl: wsUrl.toString(), session, onDenials: setDenials }));
  // graphql-ws sends connectionParams when it connects: a new viewer needs a new connection.
  const viewerId = viewer?.id ?? null;
  useEffect(() => explorerFetcher.restartSubscriptions(), [explorerFetcher, viewerId]);
  useEffect(() => () => explorerFetcher.dispose(), [explorerFetcher]);

  return (
    <div className="explorer">
      <header className="explorer-bar">
        <strong>Explorer</strong>
        <a href={settings.graphqlPath}>Apollo Sandbox</a>
        {viewer ? <SignedIn session={session} /> : <SignInForm session={session} demoUsers={settings.demoUsers} />}
      </header>
      <Denials denials={denials} />
      <div className="explorer-graphiql">
        <GraphiQL fetcher={explorerFetcher.fetcher} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility={false} />
      </div>
    </div>
  );
}

const settings = JSON.parse(document.getElementById('explorer-settings')!.textContent!) as ExplorerPageSettings;
createRoot(document.getElementById('explorer')!).render(<Explorer settings={settings} />);
