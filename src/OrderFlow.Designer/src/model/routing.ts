import type { IntakeOrder, RoutingRule } from '../api/types';

export const STRATEGIES = [
  ['priority', 'Supplier priority'],
  ['lowest_landed_cost', 'Lowest landed cost (items + shipping + fee)'],
] as const;
export const SINGLE_SUPPLIER = [
  ['none', 'May split across suppliers'],
  ['preferred', 'One supplier preferred'],
  ['required', 'One supplier required'],
] as const;
export const FALLBACKS = [
  ['next_rule', 'Try the next rule'],
  ['hold', 'Hold for review'],
  ['cancel', 'Cancel (after a date)'],
] as const;

const label = (options: readonly (readonly [string, string])[], value: string) => options.find(([v]) => v === value)?.[1] ?? value;

/** A rule as the form edits it: lists as comma-separated text, numbers and dates as the inputs' strings. */
export interface RuleDraft {
  key: string;
  name: string;
  countries: string;
  skus: string;
  tags: string;
  minOrderValue: string;
  maxOrderValue: string;
  strategy: string;
  suppliers: string;
  singleSupplier: string;
  splitAboveValue: string;
  fallback: string;
  /** `YYYY-MM-DDTHH:mm` in local time, as a datetime-local input holds it. */
  cancelAfter: string;
}

let nextKey = 0;
const newKey = () => `rule-${String(++nextKey)}`;

const joinList = (list: readonly string[] | null | undefined) => (list ?? []).join(', ');
const splitList = (text: string): string[] | null => {
  const items = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : null;
};
const numberText = (value: number | string | null | undefined) => (value === null || value === undefined ? '' : String(value));
const parseNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/** A date-time as a datetime-local input shows it (local time, minutes). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local input's value as an ISO instant (null when empty). */
export function fromLocalInput(text: string): string | null {
  return text ? new Date(text).toISOString() : null;
}

export function toDraft(rule: RoutingRule): RuleDraft {
  return {
    key: newKey(),
    name: rule.name ?? '',
    countries: joinList(rule.filter?.countries),
    skus: joinList(rule.filter?.skus),
    tags: joinList(rule.filter?.tags),
    minOrderValue: numberText(rule.filter?.minOrderValue),
    maxOrderValue: numberText(rule.filter?.maxOrderValue),
    strategy: rule.strategy?.type ?? 'priority',
    suppliers: joinList(rule.strategy?.suppliers),
    singleSupplier: rule.strategy?.singleSupplier ?? 'none',
    splitAboveValue: numberText(rule.strategy?.splitAboveValue),
    fallback: rule.fallback ?? 'next_rule',
    cancelAfter: toLocalInput(rule.cancelAfter),
  };
}

export function newRule(position: number): RuleDraft {
  return toDraft({ name: `Rule ${String(position + 1)}`, fallback: 'next_rule', strategy: { type: 'priority', singleSupplier: 'none' }, filter: {} });
}

/** What the API takes. Text is sent as typed (trimmed): the server judges it and names the field at fault. */
export function fromDraft(draft: RuleDraft): RoutingRule {
  return {
    name: draft.name.trim(),
    filter: {
      countries: splitList(draft.countries),
      skus: splitList(draft.skus),
      tags: splitList(draft.tags),
      minOrderValue: parseNumber(draft.minOrderValue),
      maxOrderValue: parseNumber(draft.maxOrderValue),
    },
    strategy: {
      type: draft.strategy,
      suppliers: splitList(draft.suppliers),
      singleSupplier: draft.singleSupplier,
      splitAboveValue: parseNumber(draft.splitAboveValue),
    },
    fallback: draft.fallback,
    cancelAfter: draft.fallback === 'cancel' ? fromLocalInput(draft.cancelAfter) : null,
  };
}

/** Moves the rule at `index` by `delta` places (evaluation order is list order); out of range leaves the list as it is. */
export function moveRule<T>(rules: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= rules.length || to < 0 || to >= rules.length) return [...rules];
  const next = [...rules];
  const [moved] = next.splice(index, 1);
  next.splice(to, 0, moved!);
  return next;
}

/** One line in words, for the read-only view: "DE, AT · SKU LAMP · value 50–200 → Supplier priority; then Hold for review". */
export function describeRule(rule: RoutingRule): { when: string; then: string } {
  const f = rule.filter ?? {};
  const when = [
    f.countries?.length ? `to ${f.countries.join(', ')}` : '',
    f.skus?.length ? `with SKU ${f.skus.join(' or ')}` : '',
    f.tags?.length ? `tagged ${f.tags.join(' or ')}` : '',
    f.minOrderValue !== null && f.minOrderValue !== undefined ? `worth at least ${String(f.minOrderValue)}` : '',
    f.maxOrderValue !== null && f.maxOrderValue !== undefined ? `worth at most ${String(f.maxOrderValue)}` : '',
  ].filter(Boolean).join(', ');
  const s = rule.strategy ?? {};
  const then = [
    label(STRATEGIES, s.type ?? 'priority'),
    s.suppliers?.length ? `among ${s.suppliers.join(', ')}` : '',
    s.singleSupplier && s.singleSupplier !== 'none' ? label(SINGLE_SUPPLIER, s.singleSupplier).toLowerCase() : '',
    s.splitAboveValue !== null && s.splitAboveValue !== undefined ? `split only above ${String(s.splitAboveValue)}` : '',
  ].filter(Boolean).join(', ');
  const fallback = rule.fallback === 'cancel' && rule.cancelAfter ? `cancel after ${new Date(rule.cancelAfter).toUTCString()}` : label(FALLBACKS, rule.fallback ?? 'next_rule').toLowerCase();
  return { when: when ? `Orders ${when}` : 'Every order', then: `${then}; if that fails: ${fallback}` };
}

/** The preview form: where the order goes, its tags, and one line per row: `SKU`, `SKU x2` or `SKU x2 @ 19.90`. */
export interface PreviewInput {
  country: string;
  tags: string;
  lines: string;
  currency: string;
}

const LINE = /^\s*(\S+)(?:\s*[x×*]\s*(\d+))?(?:\s*@\s*(\d+(?:\.\d+)?))?\s*$/i;

/** An intake order to preview, or the rows that could not be read (1-based). */
export function previewOrder(input: PreviewInput): { order: IntakeOrder } | { badRows: number[] } {
  const rows = input.lines.split('\n').map((l, i) => ({ text: l, row: i + 1 })).filter((r) => r.text.trim());
  const parsed = rows.map((r) => ({ ...r, match: LINE.exec(r.text) }));
  const badRows = parsed.filter((p) => !p.match).map((p) => p.row);
  if (badRows.length || parsed.length === 0) return { badRows: badRows.length ? badRows : [1] };
  return {
    order: {
      orderId: `preview-${String(Date.now())}`,
      createdAt: null,
      currency: input.currency.trim() || 'EUR',
      customer: { name: 'Preview', email: 'preview@example.com', phone: null },
      shippingAddress: { name: 'Preview', line1: 'Preview street 1', line2: null, city: 'Preview', postalCode: '00000', region: null, country: input.country.trim() },
      lines: parsed.map((p, i) => ({
        lineId: String(i + 1),
        sku: p.match![1]!,
        name: p.match![1]!,
        quantity: Number(p.match![2] ?? 1),
        unitPrice: Number(p.match![3] ?? 0),
      })),
      tags: splitList(input.tags) ?? [],
    },
  };
}
