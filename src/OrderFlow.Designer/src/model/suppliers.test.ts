import { describe, expect, it } from 'vitest';
import { healthLabel, supplierRequest, toSupplierDraft, type Supplier } from './suppliers';

const acme: Supplier = {
  id: 'acme', name: 'Acme', protocol: 'orderflow', baseUrl: 'http://sim/acme', priority: 10, active: true, orderFee: 1.5, authType: 'api_key',
  authHeader: 'X-Key', hasCredentials: true, hasCallbackSecret: true, timeoutSeconds: 20, rateLimitPerSecond: 5, rateLimitBurst: 10,
  liveStockCheck: false, stockCheckSupported: true, createdAt: '2026-01-01T00:00:00Z',
};

describe('supplierRequest', () => {
  it('sends every setting back unchanged and leaves the write-only credentials out unless typed', () => {
    expect(supplierRequest(toSupplierDraft(acme))).toEqual({
      id: 'acme', name: 'Acme', protocol: 'orderflow', baseUrl: 'http://sim/acme', priority: 10, active: true, orderFee: 1.5, authType: 'api_key',
      authHeader: 'X-Key', credentials: null, callbackSecret: null, timeoutSeconds: 20, rateLimitPerSecond: 5, rateLimitBurst: 10, liveStockCheck: false,
    });
  });

  it('sends typed credentials, an empty callback secret to remove it, and no header or burst where they do not apply', () => {
    const draft = { ...toSupplierDraft(acme), credentials: 'new-key', removeCallbackSecret: true, authType: 'bearer', rateLimitPerSecond: '', timeoutSeconds: '' };
    expect(supplierRequest(draft)).toMatchObject({ credentials: 'new-key', callbackSecret: '', authHeader: null, rateLimitPerSecond: null, rateLimitBurst: null, timeoutSeconds: null });
  });

  it('starts a new supplier with defaults', () => {
    expect(supplierRequest(toSupplierDraft(null, 'parcelhub-v2'))).toMatchObject({ id: '', protocol: 'parcelhub-v2', priority: 100, orderFee: 0, active: true, authType: 'api_key' });
  });
});

describe('healthLabel', () => {
  it('reads the server’s states in words', () => {
    expect(healthLabel('stale_catalogue')).toBe('catalogue stale');
    expect(healthLabel('ok')).toBe('healthy');
    expect(healthLabel('something_new')).toBe('something new');
    expect(healthLabel(undefined)).toBe('unknown');
  });
});
