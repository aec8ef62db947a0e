import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** Name of the script-readable cookie the server puts the antiforgery request token in. */
const XSRF_COOKIE = 'XSRF-TOKEN';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(name: string): string | null {
  const match = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

let onUnauthorized: () => void = () => {};

/** Called when the server says the session is gone, so the app can show the sign-in page. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

const antiforgery: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) {
      const token = readCookie(XSRF_COOKIE);
      if (token) request.headers.set('X-XSRF-TOKEN', token);
    }
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/api/auth/login')) onUnauthorized();
    return response;
  },
};

/** The one API client, typed from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(antiforgery);

/** An API error with the problem details the server returned. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string | null; detail?: string | null; errors?: Record<string, string[] | undefined> } | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `Request failed (${status})`);
  }
}

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the problem details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const problem = typeof result.error === 'object' && result.error !== null ? (result.error as ApiError['problem']) : undefined;
  throw new ApiError(result.response.status, problem);
}
