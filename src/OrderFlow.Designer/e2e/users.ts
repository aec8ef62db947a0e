/** The ops users the end-to-end server is started with. */
export const USERS = [
  { name: 'admin', password: 'e2e-admin-password', role: 'admin' },
  { name: 'editor', password: 'e2e-editor-password', role: 'editor' },
  { name: 'viewer', password: 'e2e-viewer-password', role: 'viewer' },
] as const;

export type UserName = (typeof USERS)[number]['name'];
