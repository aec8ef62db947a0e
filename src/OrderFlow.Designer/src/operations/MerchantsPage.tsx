import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { useMerchants } from '../api/queries';
import { formatTime } from '../components/format';
import { useSession } from '../components/Session';

type Created = { merchantId: string; secret: string; previousSecretsExpireAt: string | null };

/** Merchants and their intake secrets (dates only; a new secret is shown once). Admins add merchants and rotate secrets. */
export function MerchantsPage() {
  const { isAdmin } = useSession();
  const client = useQueryClient();
  const merchants = useMerchants();
  const [shown, setShown] = useState<Created | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const done = (created: Created) => { setShown(created); setError(null); void client.invalidateQueries({ queryKey: ['merchants'] }); };
  const failed = (e: Error) => setError(e instanceof ApiError && e.problem?.errors ? Object.values(e.problem.errors).flat().join(' ') : e.message);
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/merchants', { body: { id, name } })),
    onSuccess: (created) => { done(created); setId(''); setName(''); },
    onError: failed,
  });
  const rotate = useMutation({
    mutationFn: async (merchantId: string) => unwrap(await api.POST('/api/merchants/{id}/secrets', { params: { path: { id: merchantId } }, body: { secret: null, overlapHours: 24 } })),
    onSuccess: done,
    onError: failed,
  });
  return (
    <div className="list-page">
      <header className="page-head">
        <div><h1>Merchants</h1><div className="muted">Storefronts that send orders. Their webhooks are signed with the intake secrets below.</div></div>
        {isAdmin && (
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
            <input aria-label="Merchant id" placeholder="merchant-id" value={id} onChange={(e) => setId(e.target.value)} />
            <input aria-label="Merchant name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className="primary" disabled={create.isPending}>Add merchant</button>
          </form>
        )}
      </header>
      {error && <div className="field-error" role="alert">{error}</div>}
      {shown && (
        <div className="secret-once" role="status">
          New intake secret for <strong>{shown.merchantId}</strong> (shown only now; give it to the storefront):
          <code data-testid="new-secret">{shown.secret}</code>
          {shown.previousSecretsExpireAt && <span className="muted"> Older secrets stop working {formatTime(shown.previousSecretsExpireAt)}.</span>}
          <button type="button" className="link" onClick={() => setShown(null)}>Hide</button>
        </div>
      )}
      <table className="table">
        <thead><tr><th>Merchant</th><th>Id</th><th>Webhook URL</th><th>Intake secrets</th><th>Since</th><th>Configure</th>{isAdmin && <th />}</tr></thead>
        <tbody>
          {merchants.data?.map((m) => (
            <tr key={m.id}>
              <td><Link to={`/orders?merchant=${encodeURIComponent(m.id)}`}>{m.name || m.id}</Link></td>
              <td><code>{m.id}</code></td>
              <td className="muted"><code>/webhooks/{m.id}/orders</code></td>
              <td>
                {m.secrets.map((s) => (
                  <div key={s.id} className="small">
                    <span className={`badge${s.active ? ' badge-ok' : ''}`}>{s.active ? 'active' : 'expired'}</span> created {formatTime(s.createdAt)}
                    {s.expiresAt && <span className="muted"> · expires {formatTime(s.expiresAt)}</span>}
                  </div>
                ))}
              </td>
              <td className="muted nowrap">{formatTime(m.createdAt)}</td>
              <td><div className="row-actions">
                <Link className="button" to={`/merchants/${encodeURIComponent(m.id)}/routing`}>Routing rules</Link>
                <Link className="button" to={`/merchants/${encodeURIComponent(m.id)}/webhooks`}>Webhooks</Link>
              </div></td>
              {isAdmin && <td><button type="button" className="nowrap" disabled={rotate.isPending} onClick={() => window.confirm(`Rotate ${m.id}'s intake secret? The current one keeps working for 24 h.`) && rotate.mutate(m.id)}>Rotate secret</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {merchants.data?.length === 0 && <div className="empty">No merchants yet.</div>}
    </div>
  );
}
