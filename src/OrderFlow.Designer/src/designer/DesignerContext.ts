import { createContext, useContext } from 'react';

/** What canvas nodes need from the page around them. */
export interface DesignerContextValue {
  editable: boolean;
  /** Opens the quick-add search for what follows this outcome. */
  addAfter: (nodeId: string, outcome: string) => void;
}

export const DesignerContext = createContext<DesignerContextValue>({ editable: false, addAfter: () => {} });

export const useDesignerContext = () => useContext(DesignerContext);
