import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { useDefinitions } from '../api/queries';
import type { WorkflowDefinition } from '../api/types';
import { formatTime } from '../components/format';
import { useSession } from '../components/Session';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** The workflows: open one, start a new one, or import a JSON file as a draft. */
export function WorkflowsPage() {
  const definitions = useDefinitions();
  const { canEdit } = useSession();
  const navigate = useNavigate();
  const [newId, setNewId] = useState('');
  const [error, setError] = useState<string | null>(null);

  const importFile = async (file: File) => {
    try {
      const definition = JSON.parse(await file.text()) as WorkflowDefinition;
      unwrap(await api.PUT('/api/workflow-definitions/{id}/draft', { params: { path: { id: definition.id } }, body: definition }));
      navigate(`/workflows/${encodeURIComponent(definition.id)}`);
    } catch (e) {
      setError(`Could not import ${file.name}: ${(e as Error).message}`);
    }
  };

  return (
    <div className="list-page">
      <header className="page-head">
        <div><h1>Workflows</h1><div className="muted">How orders flow. Edit a draft, publish a version; running orders keep the version they started on.</div></div>
        {canEdit && (
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (ID_PATTERN.test(newId)) navigate(`/workflows/${newId}`); else setError('Use lower-case letters, digits and dashes for the id.'); }}>
            <input aria-label="New workflow id" placeholder="new-workflow-id" value={newId} onChange={(e) => setNewId(e.target.value)} />
            <button type="submit" className="primary">New workflow</button>
            <label className="button">Import…<input type="file" accept=".json,application/json" hidden onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); }} /></label>
          </form>
        )}
      </header>
      {error && <div className="field-error" role="alert">{error}</div>}
      <table className="table">
        <thead><tr><th>Workflow</th><th>Id</th><th>Latest version</th><th>Published</th><th>Draft</th></tr></thead>
        <tbody>
          {definitions.data?.map((d) => (
            <tr key={d.definitionId}>
              <td><Link to={`/workflows/${encodeURIComponent(d.definitionId)}`}>{d.name || d.definitionId}</Link></td>
              <td><code>{d.definitionId}</code></td>
              <td>{Number(d.latestVersion) > 0 ? `v${String(d.latestVersion)}` : '—'}</td>
              <td className="muted">{formatTime(d.publishedAt)}</td>
              <td>{d.hasDraft ? <span className="badge">draft</span> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {definitions.data?.length === 0 && <div className="empty">No workflows yet.</div>}
    </div>
  );
}
