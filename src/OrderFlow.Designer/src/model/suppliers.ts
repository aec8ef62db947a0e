import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Supplier = Schemas['SupplierView'];
export type SupplierRequest = Schemas['SupplierRequest'];
export type SupplierHealth = Schemas['SupplierHealthView'];

export const AUTH_TYPES = [
  ['api_key', 'API key in a header'],
  ['bearer', 'Bearer token'],
  ['basic', 'HTTP Basic (user:password)'],
  ['hmac', 'HMAC-signed requests (keyId:secret)'],
] as const;

/** The supplier form: numbers as the inputs' strings; credentials and callback secret empty unless being replaced. */
export interface SupplierDraft {
  id: string;
  name: string;
  protocol: string;
  baseUrl: string;
  priority: string;
  orderFee: string;
  active: boolean;
  authType: string;
  authHeader: string;
  credentials: string;
  callbackSecret: string;
  removeCallbackSecret: boolean;
  timeoutSeconds: string;
  rateLimitPerSecond: string;
  rateLimitBurst: string;
  liveStockCheck: boolean;
}

const text = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));
const number = (v: string): number | null => (v.trim() === '' ? null : Number(v));

export function toSupplierDraft(s: Supplier | null, protocol = 'orderflow'): SupplierDraft {
  return {
    id: s?.id ?? '',
    name: s?.name ?? '',
    protocol: s?.protocol ?? protocol,
    baseUrl: s?.baseUrl ?? '',
    priority: text(s?.priority ?? 100),
    orderFee: text(s?.orderFee ?? 0),
    active: s?.active ?? true,
    authType: s?.authType ?? 'api_key',
    authHeader: s?.authHeader ?? '',
    credentials: '',
    callbackSecret: '',
    removeCallbackSecret: false,
    timeoutSeconds: text(s?.timeoutSeconds),
    rateLimitPerSecond: text(s?.rateLimitPerSecond),
    rateLimitBurst: text(s?.rateLimitBurst),
    liveStockCheck: s?.liveStockCheck ?? false,
  };
}

/**
 * What the API takes. Every setting is sent (the API resets a left-out timeout or rate limit to its default); the
 * credentials and callback secret only when typed (left out: kept), or an empty callback secret to remove it.
 */
export function supplierRequest(d: SupplierDraft): SupplierRequest {
  return {
    id: d.id.trim(),
    name: d.name,
    protocol: d.protocol,
    baseUrl: d.baseUrl.trim(),
    priority: number(d.priority),
    active: d.active,
    orderFee: number(d.orderFee),
    authType: d.authType,
    authHeader: d.authType === 'api_key' && d.authHeader.trim() ? d.authHeader.trim() : null,
    credentials: d.credentials ? d.credentials : null,
    callbackSecret: d.removeCallbackSecret ? '' : d.callbackSecret ? d.callbackSecret.trim() : null,
    timeoutSeconds: number(d.timeoutSeconds),
    rateLimitPerSecond: number(d.rateLimitPerSecond),
    rateLimitBurst: d.rateLimitPerSecond.trim() ? number(d.rateLimitBurst) : null,
    liveStockCheck: d.liveStockCheck,
  };
}

/** Health states, worst first, with the words ops read. */
export const HEALTH_LABELS: Record<string, string> = {
  unreachable: 'unreachable',
  stale_catalogue: 'catalogue stale',
  no_catalogue: 'no catalogue',
  inactive: 'inactive',
  ok: 'healthy',
};

export function healthLabel(state: string | undefined): string {
  return state ? (HEALTH_LABELS[state] ?? state.replace('_', ' ')) : 'unknown';
}
