import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ValidationError, WorkflowDefinition } from '../api/types';
import { locateErrors, type LocatedErrors } from '../model/validation';

const DEBOUNCE_MS = 300;

/**
 * Validates the definition on the server while it is edited (the same validator that guards publishing), a moment
 * after the last change; moving activities does not trigger it.
 */
export function useServerValidation(definition: WorkflowDefinition): { located: LocatedErrors; count: number; pending: boolean } {
  const withoutPositions = useMemo(
    () => JSON.stringify({ ...definition, activities: definition.activities?.map((a) => ({ ...a, position: undefined })) }),
    [definition],
  );
  const [result, setResult] = useState<{ errors: ValidationError[]; ids: string[] }>({ errors: [], ids: [] });
  const [pending, setPending] = useState(true);
  const sequence = useRef(0);

  useEffect(() => {
    const mine = ++sequence.current;
    setPending(true);
    const body = JSON.parse(withoutPositions) as WorkflowDefinition;
    const timer = setTimeout(async () => {
      const response = await api.POST('/api/workflow-definitions/validate', { body });
      if (mine !== sequence.current || !response.data) return;
      setResult({ errors: response.data.errors, ids: (body.activities ?? []).map((a) => a.id) });
      setPending(false);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [withoutPositions]);

  const located = useMemo(() => locateErrors(result.errors, result.ids.map((id) => ({ id }))), [result]);
  return { located, count: result.errors.length, pending };
}
