// Dates as people read them. Timestamps from the API are RFC 3339 UTC; calendar dates are
// YYYY-MM-DD and are shown as written, without time-zone shifts.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(ymd: string | null | undefined): string {
  if (!ymd) return '';
  const d = new Date(`${ymd}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? ymd : dateOnly.format(d);
}

/** Today in the browser's time zone, as YYYY-MM-DD (the latest allowed review date). */
export function todayYmd(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function roleLabel(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** Roles that may change ISMS records such as context issues. */
export function canWrite(role: string | undefined): boolean {
  return role === 'admin' || role === 'manager' || role === 'contributor';
}

/**
 * A field error as a sentence: the server's messages may be fragments ("must not be empty"),
 * which read better with the field's label in front ("Title must not be empty.").
 */
export function fieldMessage(label: string, message: string): string {
  const text = message.trim();
  if (!text) return `${label} is not valid.`;
  const sentence = /^[a-z]/.test(text) ? `${label} ${text}` : text;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** A file size for people: bytes, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
