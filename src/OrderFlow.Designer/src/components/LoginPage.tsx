import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { keys } from '../api/queries';

/** Cookie sign-in for ops users. */
export function LoginPage() {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const result = await api.POST('/api/auth/login', { body: { name, password } });
    setBusy(false);
    if (result.response.ok && result.data) {
      client.setQueryData(keys.me, result.data);
      const returnUrl = new URLSearchParams(window.location.search).get('returnUrl');
      if (returnUrl?.startsWith('/hangfire')) window.location.assign(returnUrl);
      else if (window.location.pathname === '/login') window.history.replaceState(null, '', '/');
      return;
    }
    setError(result.response.status === 401 ? 'Wrong user name or password.' : 'Enter your user name and password.');
  };
  return (
    <div className="login">
      <form className="login-card" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="brand"><span className="brand-mark">◆</span> OrderFlow</div>
        <h1>Sign in to the ops console</h1>
        <label htmlFor="login-name">User name</label>
        <input id="login-name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <div className="field-error" role="alert">{error}</div>}
        <button type="submit" className="primary" disabled={busy}>Sign in</button>
      </form>
    </div>
  );
}
