import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { useRoutingRules } from '../api/queries';
import type { RoutingPlan, RoutingRule } from '../api/types';
import { Field } from '../components/Field';
import { useSession } from '../components/Session';
import { countErrors, errorsUnder, type FieldErrors } from '../model/problems';
import {
  describeRule, FALLBACKS, fromDraft, moveRule, newRule, previewOrder, SINGLE_SUPPLIER, STRATEGIES, toDraft, type PreviewInput, type RuleDraft,
} from '../model/routing';

/** A merchant's routing rules, in evaluation order: editors change and save them, everyone previews where an order would go. */
export function RoutingRulesPage() {
  const { merchant = '' } = useParams();
  const { canEdit } = useSession();
  const saved = useRoutingRules(merchant);
  const [drafts, setDrafts] = useState<RuleDraft[] | null>(null);
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const client = useQueryClient();
  const reset = (rules: RoutingRule[]) => { setDrafts(rules.map(toDraft)); setErrors(undefined); };
  useEffect(() => { if (saved.data && drafts === null) reset(saved.data); }, [saved.data, drafts]);

  const save = useMutation({
    mutationFn: async (rules: RoutingRule[]) =>
      unwrap(await api.PUT('/api/merchants/{merchantId}/routing-rules', { params: { path: { merchantId: merchant } }, body: rules })),
    onSuccess: (rules) => {
      client.setQueryData(['routing-rules', merchant], rules);
      reset(rules);
      setNotice(`Saved ${String(rules.length)} rule${rules.length === 1 ? '' : 's'}. New orders are routed by them from now on.`);
    },
    onError: (e: Error) => {
      setNotice(null);
      setErrors(e instanceof ApiError && e.problem?.errors ? e.problem.errors : { rules: [e.message] });
    },
  });

  if (saved.error) return <div className="page-error" role="alert">{String(saved.error)}</div>;
  if (!saved.data || !drafts) return <div className="loading">Loading routing rules…</div>;
  const dirty = JSON.stringify(drafts.map(fromDraft)) !== JSON.stringify(saved.data.map((r) => fromDraft(toDraft(r))));
  const change = (index: number, patch: Partial<RuleDraft>) => { setDrafts(drafts.map((d, i) => (i === index ? { ...d, ...patch } : d))); setNotice(null); };
  const listErrors = errorsUnder(errors).get('rules');
  const problemCount = countErrors(errors);

  return (
    <div className="list-page routing-page">
      <header className="page-head">
        <div>
          <div className="crumbs"><Link to="/merchants" className="muted">Merchants</Link><span className="muted"> / </span>{merchant}</div>
          <h1>Routing rules {dirty && canEdit && <span className="badge badge-warn">unsaved changes</span>}</h1>
          <div className="muted">
            Evaluated top to bottom: the first rule whose filter matches an order chooses its suppliers. Without a matching rule, each line goes to
            the highest-priority supplier with stock.
          </div>
        </div>
        {canEdit && (
          <div className="head-links">
            <button type="button" onClick={() => { setDrafts([...drafts, newRule(drafts.length)]); setNotice(null); }}>Add rule</button>
            <button type="button" disabled={!dirty || save.isPending} onClick={() => reset(saved.data)}>Discard changes</button>
            <button type="button" className="primary" disabled={!dirty || save.isPending} onClick={() => save.mutate(drafts.map(fromDraft))}>
              {save.isPending ? 'Saving…' : 'Save rules'}
            </button>
          </div>
        )}
      </header>
      {notice && <div className="banner banner-ok" role="status">{notice}</div>}
      {problemCount > 0 && (
        <div className="banner banner-bad" role="alert">
          Not saved: {String(problemCount)} problem{problemCount === 1 ? '' : 's'}, marked on the fields below.{listErrors ? ` ${listErrors.join(' ')}` : ''}
        </div>
      )}
      <div className="routing-body">
        <div className="rules">
          {drafts.length === 0 && (
            <div className="empty-card">
              No rules yet: every line goes to the highest-priority supplier that has it in stock.
              {canEdit ? ' Add a rule to filter by country, SKU, order value or tags and choose another strategy.' : ''}
            </div>
          )}
          {drafts.map((d, i) => canEdit ? (
            <RuleEditor key={d.key} draft={d} index={i} count={drafts.length} errors={errorsUnder(errors, `rules[${String(i)}]`)}
              onChange={(patch) => change(i, patch)}
              onMove={(delta) => setDrafts(moveRule(drafts, i, delta))}
              onRemove={() => setDrafts(drafts.filter((_, j) => j !== i))} />
          ) : <RuleView key={d.key} rule={fromDraft(d)} index={i} />)}
        </div>
        <PreviewPanel merchant={merchant} />
      </div>
    </div>
  );
}

function RuleView({ rule, index }: { rule: RoutingRule; index: number }) {
  const text = describeRule(rule);
  return (
    <section className="card rule-card" data-testid={`rule-${String(index)}`}>
      <div className="rule-head"><span className="rule-number">{String(index + 1)}</span><h2>{rule.name}</h2></div>
      <div>{text.when}</div>
      <div className="muted">→ {text.then}</div>
    </section>
  );
}

function RuleEditor({ draft, index, count, errors, onChange, onMove, onRemove }: {
  draft: RuleDraft; index: number; count: number; errors: Map<string, string[]>;
  onChange: (patch: Partial<RuleDraft>) => void; onMove: (delta: number) => void; onRemove: () => void;
}) {
  const input = (key: keyof RuleDraft, errorKey: string, props: { placeholder?: string; type?: string } = {}) => (
    <input aria-label={`${key} of rule ${String(index + 1)}`} value={draft[key]} className={errors.has(errorKey) ? 'invalid' : undefined}
      aria-invalid={errors.has(errorKey)} onChange={(e) => onChange({ [key]: e.target.value })} {...props} />
  );
  const select = (key: keyof RuleDraft, errorKey: string, options: readonly (readonly [string, string])[]) => (
    <select aria-label={`${key} of rule ${String(index + 1)}`} value={draft[key]} className={errors.has(errorKey) ? 'invalid' : undefined}
      onChange={(e) => onChange({ [key]: e.target.value })}>
      {options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
    </select>
  );
  const valueError = errors.get('filter.minOrderValue') ?? errors.get('filter.maxOrderValue');
  return (
    <section className={`card rule-card${errors.size ? ' has-errors' : ''}`} data-testid={`rule-${String(index)}`}>
      <div className="rule-head">
        <span className="rule-number" title="Evaluation order">{String(index + 1)}</span>
        <input aria-label={`name of rule ${String(index + 1)}`} className={`rule-name${errors.has('name') ? ' invalid' : ''}`} value={draft.name}
          onChange={(e) => onChange({ name: e.target.value })} />
        <button type="button" className="icon" title="Move up" aria-label={`Move rule ${String(index + 1)} up`} disabled={index === 0} onClick={() => onMove(-1)}>↑</button>
        <button type="button" className="icon" title="Move down" aria-label={`Move rule ${String(index + 1)} down`} disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>
        <button type="button" className="danger" onClick={onRemove}>Remove</button>
      </div>
      {errors.get('name') && <div className="field-error">{errors.get('name')!.join(' ')}</div>}
      {errors.get('') && <div className="field-error">{errors.get('')!.join(' ')}</div>}
      <h3>When the order</h3>
      <div className="rule-grid">
        <Field label="Ships to (countries)" error={errors.get('filter.countries')} hint="ISO codes, e.g. DE, AT; empty: anywhere">
          {input('countries', 'filter.countries', { placeholder: 'any country' })}
        </Field>
        <Field label="Has one of these SKUs" error={errors.get('filter.skus')} hint="comma-separated; empty: any">{input('skus', 'filter.skus', { placeholder: 'any SKU' })}</Field>
        <Field label="Carries one of these tags" error={errors.get('filter.tags')}>{input('tags', 'filter.tags', { placeholder: 'any tags' })}</Field>
        <Field label="Order value from … to" error={valueError}>
          <span className="range">
            {input('minOrderValue', 'filter.minOrderValue', { type: 'number', placeholder: 'min' })}
            <span className="muted">–</span>
            {input('maxOrderValue', 'filter.maxOrderValue', { type: 'number', placeholder: 'max' })}
          </span>
        </Field>
      </div>
      <h3>Then choose suppliers by</h3>
      <div className="rule-grid">
        <Field label="Strategy" error={errors.get('strategy.type')}>{select('strategy', 'strategy.type', STRATEGIES)}</Field>
        <Field label="Only these suppliers" error={errors.get('strategy.suppliers')} hint="supplier ids; empty: all active">
          {input('suppliers', 'strategy.suppliers', { placeholder: 'all suppliers' })}
        </Field>
        <Field label="Splitting" error={errors.get('strategy.singleSupplier')}>{select('singleSupplier', 'strategy.singleSupplier', SINGLE_SUPPLIER)}</Field>
        <Field label="Split only above order value" error={errors.get('strategy.splitAboveValue')} hint="below it one supplier is required">
          {input('splitAboveValue', 'strategy.splitAboveValue', { type: 'number', placeholder: 'no threshold' })}
        </Field>
      </div>
      <h3>If that cannot place every line</h3>
      <div className="rule-grid">
        <Field label="Fallback" error={errors.get('fallback')}>{select('fallback', 'fallback', FALLBACKS)}</Field>
        {draft.fallback === 'cancel' && (
          <Field label="Hold until, then cancel" error={errors.get('cancelAfter')} hint="empty: cancel at once">
            {input('cancelAfter', 'cancelAfter', { type: 'datetime-local' })}
          </Field>
        )}
      </div>
    </section>
  );
}

function PreviewPanel({ merchant }: { merchant: string }) {
  const [input, setInput] = useState<PreviewInput>({ country: 'DE', tags: '', currency: 'EUR', lines: '' });
  const [problem, setProblem] = useState<string[] | null>(null);
  const preview = useMutation({
    mutationFn: async () => {
      const built = previewOrder(input);
      if ('badRows' in built) throw new Error(`Cannot read line ${built.badRows.join(', ')}: write SKU, SKU x2 or SKU x2 @ 19.90.`);
      const plan = unwrap(await api.POST('/api/routing/preview', { body: { merchantId: merchant, order: built.order } }));
      const lines = new Map((built.order.lines ?? []).map((l) => [l.lineId ?? '', `${l.sku ?? ''} ×${String(l.quantity)}`]));
      return { plan, lines };
    },
    onMutate: () => setProblem(null),
    onError: (e: Error) => setProblem(e instanceof ApiError && e.problem?.errors ? Object.entries(e.problem.errors).map(([k, v]) => `${k}: ${(v ?? []).join(' ')}`) : [e.message]),
  });
  const set = (patch: Partial<PreviewInput>) => setInput({ ...input, ...patch });
  return (
    <aside className="card preview-panel" aria-label="Preview">
      <h2>Preview</h2>
      <p className="muted small">Where an order would go under the <strong>saved</strong> rules and what it would cost the suppliers. Nothing is placed.</p>
      <form onSubmit={(e) => { e.preventDefault(); preview.mutate(); }}>
        <div className="rule-grid">
          <Field label="Country"><input aria-label="Preview country" value={input.country} onChange={(e) => set({ country: e.target.value })} /></Field>
          <Field label="Currency"><input aria-label="Preview currency" value={input.currency} onChange={(e) => set({ currency: e.target.value })} /></Field>
        </div>
        <Field label="Tags"><input aria-label="Preview tags" value={input.tags} placeholder="none" onChange={(e) => set({ tags: e.target.value })} /></Field>
        <Field label="Lines" hint="one per row: SKU x quantity @ unit price (the price counts towards the order value filters)">
          <textarea aria-label="Preview lines" rows={4} value={input.lines} placeholder={'e.g. MUG-BLUE x2 @ 12.50'} onChange={(e) => set({ lines: e.target.value })} />
        </Field>
        <button type="submit" className="primary" disabled={preview.isPending}>Preview routing</button>
      </form>
      {problem && <ul className="problems small" role="alert">{problem.map((p) => <li key={p}>{p}</li>)}</ul>}
      {preview.data && <PlanView plan={preview.data.plan} lines={preview.data.lines} currency={input.currency} />}
    </aside>
  );
}

function PlanView({ plan, lines, currency }: { plan: RoutingPlan; lines: Map<string, string>; currency: string }) {
  const money = (v: number | string) => Number(v).toFixed(2);
  const named = (ids: string[]) => ids.map((id) => lines.get(id) ?? id).join(', ');
  return (
    <div className="plan" data-testid="routing-plan">
      <div><span className="muted">Rule:</span> <strong>{plan.rule || 'none matched (supplier priority)'}</strong></div>
      {plan.supplierOrders.length > 0 && (
        <table className="table compact">
          <thead><tr><th>Supplier</th><th>Lines</th><th className="num">Items</th><th className="num">Ship</th><th className="num">Fee</th><th className="num">Total</th></tr></thead>
          <tbody>
            {plan.supplierOrders.map((s) => (
              <tr key={s.supplierId}><td>{s.supplierId}</td><td>{named(s.lineIds)}</td><td className="num">{money(s.items)}</td>
                <td className="num">{money(s.shipping)}</td><td className="num">{money(s.fee)}</td><td className="num">{money(s.total)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <div><span className="muted">Landed cost:</span> <strong>{money(plan.total)} {currency}</strong></div>
      {plan.unroutable.length > 0 && (
        <div className="field-error">Cannot be placed: {named(plan.unroutable)}{plan.fallback ? `; fallback: ${plan.fallback.replace('_', ' ')}` : ''}.</div>
      )}
    </div>
  );
}
