import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { Dialog } from '../components/Dialog';
import { JsonEditor } from './InputField';

const SAMPLE_INPUT = { order: { id: 'test-1001', email: 'ada@example.com', total: 120, country: 'NL', lines: [{ sku: 'MUG-01', quantity: 2 }] } };

/** Starts a test instance of the latest published version with a JSON input, then opens it. */
export function RunDialog({ workflowId, onClose }: { workflowId: string; onClose: () => void }) {
  const navigate = useNavigate();
  const [input, setInput] = useState<unknown>(SAMPLE_INPUT);
  const [correlationId, setCorrelationId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = unwrap(await api.POST('/api/workflow-definitions/{id}/instances', {
        params: { path: { id: workflowId } },
        body: { input: (input ?? {}) as Record<string, unknown>, correlationId: correlationId || null },
      }));
      navigate(`/instances/${started.instanceId}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Run ${workflowId}`} onClose={onClose} footer={<>
      <button type="button" onClick={onClose}>Cancel</button>
      <button type="button" className="primary" disabled={busy} onClick={run}>Start instance</button>
    </>}>
      <p className="muted">Starts the latest published version. The input is merged over the workflow's variables.</p>
      <div className="field">
        <div className="field-label"><span>Input</span><span className="field-type">json</span></div>
        <JsonEditor label="Instance input" value={input} onChange={setInput} editable invalid={false} />
      </div>
      <div className="field">
        <div className="field-label"><label htmlFor="run-correlation">Correlation id</label></div>
        <input id="run-correlation" type="text" value={correlationId} placeholder="optional, e.g. an order id" onChange={(e) => setCorrelationId(e.target.value)} />
      </div>
      {error && <div className="field-error" role="alert">{error}</div>}
    </Dialog>
  );
}
