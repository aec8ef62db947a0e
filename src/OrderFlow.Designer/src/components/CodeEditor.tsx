import { autocompletion, closeBrackets, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { bracketMatching, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { complete, type ScopeEntry } from '../model/scope';

interface Props {
  value: string;
  onChange: (value: string) => void;
  language: 'javascript' | 'json';
  /** Variables, outputs and order fields offered while typing an expression. */
  scope?: readonly ScopeEntry[];
  readOnly?: boolean;
  placeholder?: string;
  minLines?: number;
  ariaLabel: string;
  invalid?: boolean;
}

const PATH_BEFORE_CURSOR = /[\w$.[\]"-]*$/;

function scopeCompletion(scope: () => readonly ScopeEntry[]) {
  return (context: CompletionContext): CompletionResult | null => {
    const before = context.matchBefore(PATH_BEFORE_CURSOR);
    if (!before || (before.from === before.to && !context.explicit)) return null;
    const options = complete(scope(), before.text).map((e) => ({ label: e.label, detail: e.detail, type: 'variable' }));
    return options.length ? { from: before.from, options, filter: false } : null;
  };
}

/** CodeMirror 6 for expressions (JavaScript, with completion of what is in scope) and JSON values. */
export function CodeEditor({ value, onChange, language, scope = [], readOnly = false, placeholder, minLines = 1, ariaLabel, invalid }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, scope });
  latest.current = { onChange, scope };
  const editable = useRef(new Compartment());

  useEffect(() => {
    const state = EditorState.create({
      doc: value,
      extensions: [
        history(),
        closeBrackets(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        language === 'javascript' ? javascript() : json(),
        language === 'javascript' ? autocompletion({ override: [scopeCompletion(() => latest.current.scope)], activateOnTyping: true }) : [],
        placeholder ? placeholderExt(placeholder) : [],
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': ariaLabel }),
        editable.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
        EditorView.theme({ '.cm-content': { minHeight: `${minLines * 1.45}em` } }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onChange(update.state.doc.toString());
        }),
      ],
    });
    view.current = new EditorView({ state, parent: host.current! });
    return () => view.current?.destroy();
    // The editor is created once; later value changes are pushed in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [language]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) });
  }, [readOnly]);

  return <div ref={host} className={`code-editor${invalid ? ' invalid' : ''}`} data-language={language} />;
}
