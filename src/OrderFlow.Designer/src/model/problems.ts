/** Field errors of a problem details answer (`errors`), as the server names the fields: `rules[1].strategy.type`, `url`. */
export type FieldErrors = Record<string, string[] | undefined>;

/**
 * The errors under one prefix, keyed by the rest of the path: for prefix `rules[1]`, `rules[1].strategy.type` becomes
 * `strategy.type` and `rules[1]` itself becomes `""`. Paths are compared case-insensitively in their first letter, since
 * ASP.NET may send `Url` for `url`.
 */
export function errorsUnder(errors: FieldErrors | undefined, prefix = ''): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [path, messages] of Object.entries(errors ?? {})) {
    if (!messages?.length) continue;
    const normal = path.charAt(0).toLowerCase() + path.slice(1);
    let rest: string | null = null;
    if (!prefix) rest = normal;
    else if (normal === prefix) rest = '';
    else if (normal.startsWith(`${prefix}.`)) rest = normal.slice(prefix.length + 1);
    if (rest !== null) found.set(rest, [...(found.get(rest) ?? []), ...messages]);
  }
  return found;
}

/** How many messages in all. */
export function countErrors(errors: FieldErrors | undefined): number {
  return Object.values(errors ?? {}).reduce((n, m) => n + (m?.length ?? 0), 0);
}
