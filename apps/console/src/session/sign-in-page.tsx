import { FormEvent, useState } from 'react';
import { ApiError } from '../api/gateway';
import { useOptionalSession } from './session';

export function SignInPage() {
  const { signIn, endedBecause } = useOptionalSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(user.trim(), password);
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught.status === 404
            ? 'Demo sign-in is off on this gateway: sign in through your identity provider.'
            : caught.message
          : 'The gateway could not be reached.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <h1>Oversight console</h1>
      <p className="muted">Decide what AI agents may do, with the context in front of you.</p>
      {endedBecause && (
        <p className="notice" role="status">
          {endedBecause}
        </p>
      )}
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="user">User</label>
        <input
          id="user"
          autoComplete="username"
          value={user}
          onChange={(e) => setUser(e.target.value)}
          required
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error && (
          <p className="error" id="sign-in-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small">
        The embedded setup&apos;s demo users (bella, sue, lena, fiona, vera, root, audrey…) share the password
        printed by <code>npm start</code>.
      </p>
    </main>
  );
}
