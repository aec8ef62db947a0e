const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(value: string | null | undefined): string {
  return value ? time.format(new Date(value)) : '';
}

/** "3 min ago", "2 h ago", "4 d ago". */
export function formatAge(value: string | null | undefined, now = Date.now()): string {
  if (!value) return '';
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** A long id shortened to its last 8 characters: version-7 UUIDs made the same minute share their leading timestamp, not their tail. */
export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
