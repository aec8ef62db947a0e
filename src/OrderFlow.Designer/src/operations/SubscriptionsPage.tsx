import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { useDeliveries, useMerchantNotices, useSubscriptions } from '../api/queries';
import type { WebhookSubscription } from '../api/types';
import { useSession } from '../components/Session';
import { formatTime, shortId } from '../components/format';
import { errorsUnder, type FieldErrors } from '../model/problems';
import { fromLocalInput, toLocalInput } from '../model/routing';
import { EVENT_TYPES, eventFilterText, subscriptionState, toggleEvent } from '../model/subscriptions';

const problemOf = (e: Error): FieldErrors => (e instanceof ApiError && e.problem?.errors ? e.problem.errors : { '': [e.message] });

/**
 * A merchant's status webhook subscriptions: admins create and delete them (the signing secret is shown once, at creation),
 * editors change URL, event filter and enablement and replay deliveries; everyone sees the delivery log and the merchant's notices.
 */
export function SubscriptionsPage() {
  const { merchant = '' } = useParams();
  const { canEdit, isAdmin } = useSession();
  const [params, setParams] = useSearchParams();
  const subscriptions = useSubscriptions(merchant);
  const notices = useMerchantNotices(merchant);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const selected = params.get('subscription') ?? subscriptions.data?.[0]?.id ?? null;
  const select = (id: string) => setParams({ subscription: id }, { replace: true });

  if (subscriptions.error) return <div className="page-error" role="alert">{String(subscriptions.error)}</div>;
  return (
    <div className="list-page">
      <header className="page-head">
        <div>
          <div className="crumbs"><Link to="/merchants" className="muted">Merchants</Link><span className="muted"> / </span>{merchant}</div>
          <h1>Webhook subscriptions</h1>
          <div className="muted">Where OrderFlow posts this storefront's status events, signed with each subscription's own <code>whsec_</code> secret.</div>
        </div>
      </header>
      {(notices.data?.length ?? 0) > 0 ? (
        <section className="banner banner-warn" aria-label="Merchant notices">
          <strong>Notices for the merchant</strong> <span className="small">(newest first; the storefront reads them at <code>/api/merchants/{merchant}/notices</code>)</span>
          <ul>{notices.data!.slice(0, 5).map((n) => <li key={String(n.id)}><span className="small">{formatTime(n.createdAt)}</span> {n.message}</li>)}</ul>
        </section>
      ) : notices.data && (
        <div className="muted small notices-none">No notices for the merchant. One appears here when an endpoint is disabled after failing or answering 410 Gone.</div>
      )}
      {created && (
        <div className="secret-once" role="status" data-testid="subscription-secret">
          <div>
            <strong>Signing secret for {created.url}</strong> — shown only now. Copy it into the storefront to verify our signatures; it cannot be shown again.
          </div>
          <code data-testid="new-secret">{created.secret}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created.secret)}>Copy</button>
          <button type="button" className="link" onClick={() => setCreated(null)}>I have copied it</button>
        </div>
      )}
      {isAdmin && <CreateSubscription merchant={merchant} onCreated={(url, secret, id) => { setCreated({ url, secret }); select(id); }} />}
      <table className="table">
        <thead><tr><th>Endpoint</th><th>Events</th><th>State</th><th>Created</th><th /></tr></thead>
        <tbody>
          {subscriptions.data?.map((s) => (
            <SubscriptionRow key={s.id} merchant={merchant} subscription={s} selected={s.id === selected} onSelect={() => select(s.id!)}
              canEdit={canEdit} canDelete={isAdmin} />
          ))}
        </tbody>
      </table>
      {subscriptions.data?.length === 0 && (
        <div className="empty-card">
          No subscriptions: this storefront is not told about status changes (it can still read <code>GET /api/events</code>).
          {isAdmin ? ' Add its endpoint above.' : ' An admin can add one.'}
        </div>
      )}
      {selected && subscriptions.data?.some((s) => s.id === selected) && (
        <DeliveryLog merchant={merchant} subscription={subscriptions.data.find((s) => s.id === selected)!} canReplay={canEdit} />
      )}
    </div>
  );
}

function EventPicker({ value, onChange, invalid }: { value: string[]; onChange: (v: string[]) => void; invalid?: boolean }) {
  return (
    <fieldset className={`event-picker${invalid ? ' invalid' : ''}`}>
      <legend className="small muted">Events (none ticked: all events)</legend>
      {EVENT_TYPES.map((t) => (
        <label key={t} className="check"><input type="checkbox" checked={value.includes(t)} onChange={() => onChange(toggleEvent(value, t))} /> {t}</label>
      ))}
    </fieldset>
  );
}

function CreateSubscription({ merchant, onCreated }: { merchant: string; onCreated: (url: string, secret: string, id: string) => void }) {
  const client = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/merchants/{merchantId}/subscriptions', {
      params: { path: { merchantId: merchant } }, body: { url: url.trim(), description: description.trim() || null, eventTypes: events.length ? events : null },
    })),
    onSuccess: (done) => {
      setErrors(undefined); setUrl(''); setDescription(''); setEvents([]);
      void client.invalidateQueries({ queryKey: ['subscriptions', merchant] });
      onCreated(done.subscription.url ?? '', done.secret, done.subscription.id!);
    },
    onError: (e: Error) => setErrors(problemOf(e)),
  });
  const fieldErrors = errorsUnder(errors);
  return (
    <details className="card create-card">
      <summary><strong>New subscription</strong></summary>
      <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <div className="rule-grid">
          <label className="field wide">
            <span className="field-label">Endpoint URL</span>
            <input aria-label="Endpoint URL" placeholder="https://shop.example.com/webhooks/orderflow" value={url} className={fieldErrors.has('url') ? 'invalid' : undefined}
              onChange={(e) => setUrl(e.target.value)} />
            {fieldErrors.get('url') && <span className="field-error">{fieldErrors.get('url')!.join(' ')}</span>}
          </label>
          <label className="field">
            <span className="field-label">Description</span>
            <input aria-label="Description" placeholder="optional" value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
        </div>
        <EventPicker value={events} onChange={setEvents} invalid={fieldErrors.has('eventTypes')} />
        {fieldErrors.get('eventTypes') && <div className="field-error">{fieldErrors.get('eventTypes')!.join(' ')}</div>}
        {fieldErrors.get('') && <div className="field-error">{fieldErrors.get('')!.join(' ')}</div>}
        <button type="submit" className="primary" disabled={create.isPending}>Create subscription</button>
      </form>
    </details>
  );
}

function SubscriptionRow({ merchant, subscription: s, selected, onSelect, canEdit, canDelete }: {
  merchant: string; subscription: WebhookSubscription; selected: boolean; onSelect: () => void; canEdit: boolean; canDelete: boolean;
}) {
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState(s.url ?? '');
  const [description, setDescription] = useState(s.description ?? '');
  const [events, setEvents] = useState<string[]>(s.eventTypes ?? []);
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const refresh = () => client.invalidateQueries({ queryKey: ['subscriptions', merchant] });
  const update = useMutation({
    mutationFn: async (body: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean }) =>
      unwrap(await api.PATCH('/api/merchants/{merchantId}/subscriptions/{id}', {
        params: { path: { merchantId: merchant, id: s.id! } },
        body: { url: body.url ?? null, description: body.description ?? null, eventTypes: body.eventTypes ?? null, enabled: body.enabled ?? null },
      })),
    onSuccess: () => { setErrors(undefined); setEditing(false); void refresh(); },
    onError: (e: Error) => setErrors(problemOf(e)),
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/merchants/{merchantId}/subscriptions/{id}', { params: { path: { merchantId: merchant, id: s.id! } } })),
    onSuccess: () => void refresh(),
    onError: (e: Error) => setErrors(problemOf(e)),
  });
  const state = subscriptionState(s);
  const fieldErrors = errorsUnder(errors);
  return (
    <>
      <tr className={selected ? 'selected' : undefined} data-testid="subscription-row">
        <td>
          <button type="button" className="link" onClick={onSelect} title="Show the delivery log">{s.url}</button>
          {s.description && <div className="muted small">{s.description}</div>}
        </td>
        <td className="small">{eventFilterText(s.eventTypes)}</td>
        <td><span className={`status-pill sub-${state.word}`}>{state.word}</span>{state.detail && <div className="muted small">{state.detail}</div>}</td>
        <td className="muted nowrap">{formatTime(s.createdAt)}</td>
        <td><div className="row-actions">
          <button type="button" onClick={onSelect} disabled={selected}>Deliveries</button>
          {canEdit && <button type="button" onClick={() => setEditing(!editing)}>{editing ? 'Close' : 'Edit'}</button>}
          {canEdit && (
            <button type="button" disabled={update.isPending} onClick={() => update.mutate({ enabled: !s.enabled })}>{s.enabled ? 'Disable' : 'Enable'}</button>
          )}
          {canDelete && (
            <button type="button" className="danger" disabled={remove.isPending}
              onClick={() => window.confirm(`Delete the subscription to ${s.url ?? ''}? Its delivery log goes with it.`) && remove.mutate()}>Delete</button>
          )}
        </div></td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={5}>
            <form onSubmit={(e) => { e.preventDefault(); update.mutate({ url: url.trim(), description: description.trim(), eventTypes: events }); }}>
              <div className="rule-grid">
                <label className="field wide">
                  <span className="field-label">Endpoint URL</span>
                  <input aria-label="Edit endpoint URL" value={url} className={fieldErrors.has('url') ? 'invalid' : undefined} onChange={(e) => setUrl(e.target.value)} />
                  {fieldErrors.get('url') && <span className="field-error">{fieldErrors.get('url')!.join(' ')}</span>}
                </label>
                <label className="field">
                  <span className="field-label">Description</span>
                  <input aria-label="Edit description" value={description} onChange={(e) => setDescription(e.target.value)} />
                </label>
              </div>
              <EventPicker value={events} onChange={setEvents} invalid={fieldErrors.has('eventTypes')} />
              {fieldErrors.get('eventTypes') && <div className="field-error">{fieldErrors.get('eventTypes')!.join(' ')}</div>}
              <div className="row-actions">
                <button type="submit" className="primary" disabled={update.isPending}>Save</button>
                <button type="button" onClick={() => setEditing(false)}>Cancel</button>
              </div>
            </form>
          </td>
        </tr>
      )}
      {!editing && fieldErrors.get('') && <tr><td colSpan={5} className="field-error">{fieldErrors.get('')!.join(' ')}</td></tr>}
    </>
  );
}

function DeliveryLog({ merchant, subscription, canReplay }: { merchant: string; subscription: WebhookSubscription; canReplay: boolean }) {
  const [status, setStatus] = useState('');
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 3600_000).toISOString()));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const client = useQueryClient();
  const deliveries = useDeliveries(merchant, subscription.id!, status || undefined);
  const refresh = () => client.invalidateQueries({ queryKey: ['subscriptions', merchant, subscription.id] });
  const replayOne = useMutation({
    mutationFn: async (deliveryId: number) => unwrap(await api.POST('/api/merchants/{merchantId}/subscriptions/{id}/deliveries/{deliveryId}/replay', {
      params: { path: { merchantId: merchant, id: subscription.id!, deliveryId } },
    })),
    onSuccess: (_, deliveryId) => { setMessage({ ok: true, text: `Delivery ${String(deliveryId)} queued again.` }); void refresh(); },
    onError: (e: Error) => setMessage({ ok: false, text: e.message }),
  });
  const replaySince = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/merchants/{merchantId}/subscriptions/{id}/replay', {
      params: { path: { merchantId: merchant, id: subscription.id! } }, body: { since: fromLocalInput(since) },
    })),
    onSuccess: (result) => { setMessage({ ok: true, text: `${String(result.deliveries)} deliveries queued again.` }); void refresh(); },
    onError: (e: Error) => setMessage({ ok: false, text: e instanceof ApiError && e.problem?.errors ? Object.values(e.problem.errors).flat().join(' ') : e.message }),
  });
  const items = deliveries.data?.pages.flat() ?? [];
  return (
    <section className="card delivery-log" aria-label="Delivery log">
      <div className="panel-head">
        <h2>Delivery log <span className="muted small">{subscription.url}</span></h2>
        <div className="inline-form">
          <select aria-label="Delivery status" value={status} onChange={(e) => setStatus(e.target.value)} style={{ width: 140 }}>
            <option value="">All deliveries</option><option value="pending">Pending</option><option value="delivered">Delivered</option><option value="failed">Failed</option>
          </select>
          {canReplay && (
            <>
              <span className="muted small">Send again everything since</span>
              <input type="datetime-local" aria-label="Replay since" value={since} onChange={(e) => setSince(e.target.value)} style={{ width: 200 }} />
              <button type="button" disabled={replaySince.isPending || !since}
                onClick={() => window.confirm(`Send every event since ${since.replace('T', ' ')} to ${subscription.url ?? ''} again?`) && replaySince.mutate()}>
                Replay since
              </button>
            </>
          )}
        </div>
      </div>
      {message && <div className={`banner ${message.ok ? 'banner-ok' : 'banner-bad'}`} role="status">{message.text}</div>}
      <table className="table compact">
        <thead><tr><th>#</th><th>Event</th><th>Order</th><th>Status</th><th className="num">Attempts</th><th>HTTP</th><th>Delivered / next attempt</th><th>Error</th>{canReplay && <th />}</tr></thead>
        <tbody>
          {items.map((d) => (
            <tr key={String(d.id)} data-testid="delivery-row">
              <td className="muted">{String(d.id)}</td>
              <td>{d.eventType} <span className="muted small">#{String(d.sequence)}</span></td>
              <td>{d.orderId && <Link to={`/orders/${d.orderId}`}>{shortId(d.orderId)}</Link>}</td>
              <td><span className={`status-pill delivery-${d.status ?? ''}`}>{d.status}</span>{Number(d.replays ?? 0) > 0 && <span className="muted small"> replayed ×{String(d.replays)}</span>}</td>
              <td className="num">{String(d.attempts)}</td>
              <td>{d.lastStatusCode === null || d.lastStatusCode === undefined ? '—' : String(d.lastStatusCode)}</td>
              <td className="muted nowrap">{d.deliveredAt ? formatTime(d.deliveredAt) : d.status === 'pending' ? `next ${formatTime(d.nextAttemptAt)}` : '—'}</td>
              <td className="muted message-cell">{d.lastError}</td>
              {canReplay && <td><button type="button" disabled={replayOne.isPending} onClick={() => replayOne.mutate(Number(d.id))}>Replay</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {deliveries.data && items.length === 0 && (
        <div className="empty">{status ? `No ${status} deliveries.` : 'Nothing sent yet: deliveries appear here when an order of this merchant changes status.'}</div>
      )}
      {deliveries.hasNextPage && <div className="more"><button type="button" onClick={() => void deliveries.fetchNextPage()}>Older deliveries</button></div>}
    </section>
  );
}
