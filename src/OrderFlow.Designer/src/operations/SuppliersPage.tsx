import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useSession } from '../components/Session';
import { formatAge } from '../components/format';
import { errorsUnder, type FieldErrors } from '../model/problems';
import { AUTH_TYPES, healthLabel, supplierRequest, toSupplierDraft, type Supplier, type SupplierDraft, type SupplierHealth } from '../model/suppliers';

/** Suppliers by priority with their connector settings and health; admins add and change them (credentials are write-only). */
export function SuppliersPage() {
  const { isAdmin } = useSession();
  const suppliers = useQuery({ queryKey: ['suppliers'], queryFn: async () => unwrap(await api.GET('/api/suppliers')) });
  const health = useQuery({ queryKey: ['suppliers', 'health'], queryFn: async () => unwrap(await api.GET('/api/supplier-health')), refetchInterval: 10_000 });
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);
  const byId = new Map((health.data ?? []).map((h) => [h.supplierId, h]));
  if (suppliers.error) return <div className="page-error" role="alert">{String(suppliers.error)}</div>;
  return (
    <div className="list-page">
      <header className="page-head">
        <div>
          <h1>Suppliers</h1>
          <div className="muted">Routing prefers the lowest priority number among suppliers with stock. Credentials and callback secrets are never shown, only whether they are set.</div>
        </div>
        {isAdmin && <div className="head-links"><button type="button" className="primary" onClick={() => setEditing('new')}>Add supplier</button></div>}
      </header>
      <table className="table">
        <thead>
          <tr><th className="num">Priority</th><th>Supplier</th><th>Protocol</th><th>Base URL</th><th>Health</th><th>Catalogue</th><th>Last 24 h</th><th>Credentials</th>{isAdmin && <th />}</tr>
        </thead>
        <tbody>
          {suppliers.data?.map((s) => <SupplierRow key={s.id} supplier={s} health={byId.get(s.id)} onEdit={isAdmin ? () => setEditing(s) : undefined} />)}
        </tbody>
      </table>
      {suppliers.data?.length === 0 && <div className="empty-card">No suppliers yet: no order can be routed.{isAdmin ? ' Add one with its protocol, base URL and credentials.' : ''}</div>}
      {editing && <SupplierEditor supplier={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function SupplierRow({ supplier: s, health: h, onEdit }: { supplier: Supplier; health: SupplierHealth | undefined; onEdit: (() => void) | undefined }) {
  return (
    <tr data-testid={`supplier-${s.id}`} className={s.active ? undefined : 'inactive-row'}>
      <td className="num">{String(s.priority)}</td>
      <td><strong>{s.name}</strong><div className="muted small"><code>{s.id}</code></div></td>
      <td><code>{s.protocol}</code>{s.liveStockCheck && <div className="muted small">live stock check</div>}</td>
      <td className="muted small url-cell">{s.baseUrl}</td>
      <td className="health-cell">
        <span className={`status-pill health-${h?.state ?? 'unknown'}`}>{healthLabel(h?.state)}</span>
        {h && h.state !== 'ok' && <div className="muted small">{h.detail}</div>}
      </td>
      <td className="small">
        {h?.catalogSyncedAt ? <>{String(h.catalogSkus)} SKUs<div className="muted">synced {formatAge(h.catalogSyncedAt)}</div></> : <span className="muted">never synced</span>}
      </td>
      <td className="small">
        {h ? <>
          <Link to={`/orders?supplier=${encodeURIComponent(s.id)}`}>{String(h.openOrders)} open</Link>
          <div className="muted">{String(h.placedLastDay)} placed · {String(h.rejectedLastDay)} refused · {String(h.unreachableLastDay)} unreachable</div>
        </> : null}
      </td>
      <td className="small">
        <div>{s.hasCredentials ? `${s.authType.replace('_', ' ')}: set` : <span className="field-error">missing</span>}</div>
        <div className="muted">callback {s.hasCallbackSecret ? 'signed' : 'off (polling)'}</div>
      </td>
      {onEdit && <td><button type="button" onClick={onEdit}>Edit</button></td>}
    </tr>
  );
}

function SupplierEditor({ supplier, onClose }: { supplier: Supplier | null; onClose: () => void }) {
  const client = useQueryClient();
  const protocols = useQuery({ queryKey: ['supplier-protocols'], queryFn: async () => unwrap(await api.GET('/api/supplier-protocols')), staleTime: Infinity });
  const [draft, setDraft] = useState<SupplierDraft>(() => toSupplierDraft(supplier));
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const save = useMutation({
    mutationFn: async () => {
      const body = supplierRequest(draft);
      return supplier
        ? unwrap(await api.PUT('/api/suppliers/{id}', { params: { path: { id: supplier.id } }, body }))
        : unwrap(await api.POST('/api/suppliers', { body }));
    },
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['suppliers'] }); onClose(); },
    onError: (e: Error) => setErrors(e instanceof ApiError && e.problem?.errors ? e.problem.errors : { '': [e.message] }),
  });
  const e = errorsUnder(errors);
  const set = (patch: Partial<SupplierDraft>) => setDraft({ ...draft, ...patch });
  const inputFor = (key: 'id' | 'name' | 'baseUrl' | 'priority' | 'orderFee' | 'authHeader' | 'timeoutSeconds' | 'rateLimitPerSecond' | 'rateLimitBurst', props: { type?: string; placeholder?: string; disabled?: boolean } = {}) => (
    <input aria-label={key} value={draft[key]} className={e.has(key) ? 'invalid' : undefined} aria-invalid={e.has(key)} onChange={(ev) => set({ [key]: ev.target.value })} {...props} />
  );
  const stockSupported = protocols.data?.find((p) => p.name === draft.protocol)?.liveStockCheck ?? false;
  return (
    <Dialog title={supplier ? `Edit ${supplier.name}` : 'Add supplier'} onClose={onClose} footer={
      <>
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={save.isPending} onClick={() => save.mutate()}>{supplier ? 'Save supplier' : 'Add supplier'}</button>
      </>
    }>
      <form className="supplier-form" onSubmit={(ev) => { ev.preventDefault(); save.mutate(); }}>
        {e.get('') && <div className="field-error" role="alert">{e.get('')!.join(' ')}</div>}
        <div className="form-grid">
          <Field label="Id" error={e.get('id')} hint={supplier ? 'cannot change' : 'lower-case letters, digits and dashes'}>{inputFor('id', { disabled: supplier !== null })}</Field>
          <Field label="Name" error={e.get('name')}>{inputFor('name')}</Field>
          <Field label="Protocol" error={e.get('protocol')}>
            <select aria-label="protocol" value={draft.protocol} onChange={(ev) => set({ protocol: ev.target.value })}>
              {(protocols.data ?? [{ name: draft.protocol, liveStockCheck: false }]).map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
            </select>
          </Field>
          <Field label="Base URL" error={e.get('baseUrl')}>{inputFor('baseUrl', { placeholder: 'https://supplier.example/api' })}</Field>
          <Field label="Priority" error={e.get('priority')} hint="lower is preferred">{inputFor('priority', { type: 'number' })}</Field>
          <Field label="Order fee" error={e.get('orderFee')} hint="per supplier order, for landed cost">{inputFor('orderFee', { type: 'number' })}</Field>
          <Field label="Authentication" error={e.get('authType')}>
            <select aria-label="authType" value={draft.authType} onChange={(ev) => set({ authType: ev.target.value })}>
              {AUTH_TYPES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
            </select>
          </Field>
          {draft.authType === 'api_key' && <Field label="Header" error={e.get('authHeader')} hint="empty: X-Api-Key">{inputFor('authHeader', { placeholder: 'X-Api-Key' })}</Field>}
          <Field label="Credentials" error={e.get('credentials')} hint={supplier?.hasCredentials ? 'set; type only to replace them' : 'required'}>
            <input aria-label="credentials" type="password" autoComplete="new-password" value={draft.credentials} className={e.has('credentials') ? 'invalid' : undefined}
              placeholder={supplier?.hasCredentials ? '•••••• (unchanged)' : ''} onChange={(ev) => set({ credentials: ev.target.value })} />
          </Field>
          <Field label="Callback secret" error={e.get('callbackSecret')} hint={supplier?.hasCallbackSecret ? 'set; type only to replace it' : 'whsec_…; empty: polling only'}>
            <input aria-label="callbackSecret" type="password" autoComplete="new-password" value={draft.callbackSecret} disabled={draft.removeCallbackSecret}
              className={e.has('callbackSecret') ? 'invalid' : undefined} placeholder={supplier?.hasCallbackSecret ? '•••••• (unchanged)' : 'none'}
              onChange={(ev) => set({ callbackSecret: ev.target.value })} />
          </Field>
          <Field label="Timeout (seconds)" error={e.get('timeoutSeconds')} hint="empty: the server's default">{inputFor('timeoutSeconds', { type: 'number' })}</Field>
          <Field label="Rate limit (requests/s)" error={e.get('rateLimitPerSecond')} hint="empty: no limit">{inputFor('rateLimitPerSecond', { type: 'number' })}</Field>
          <Field label="Burst" error={e.get('rateLimitBurst')} hint="requests at once, with a rate limit">{inputFor('rateLimitBurst', { type: 'number', disabled: !draft.rateLimitPerSecond.trim() })}</Field>
        </div>
        <div className="checks">
          <label className="check"><input type="checkbox" checked={draft.active} onChange={(ev) => set({ active: ev.target.checked })} /> Active (used for routing)</label>
          <label className="check" title={stockSupported ? '' : 'This protocol cannot confirm stock live.'}>
            <input type="checkbox" checked={draft.liveStockCheck} disabled={!stockSupported && !draft.liveStockCheck} onChange={(ev) => set({ liveStockCheck: ev.target.checked })} /> Confirm stock live before placing
          </label>
          {supplier?.hasCallbackSecret && (
            <label className="check"><input type="checkbox" checked={draft.removeCallbackSecret} onChange={(ev) => set({ removeCallbackSecret: ev.target.checked })} /> Remove the callback secret</label>
          )}
        </div>
        {e.get('liveStockCheck') && <div className="field-error">{e.get('liveStockCheck')!.join(' ')}</div>}
      </form>
    </Dialog>
  );
}
