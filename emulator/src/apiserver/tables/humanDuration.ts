// Ages as kubectl shows them. `humanDuration` is apimachinery's duration.HumanDuration
// (pkg/util/duration/duration.go): about two significant figures, with the unit boundaries
// below. Every division truncates toward zero, as Go's integer arithmetic does.

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** The duration `ms` (milliseconds) as `45s`, `3m20s`, `15m`, `5h3m`, `20h`, `3d4h`, `694d`, `2y10d`, `9y`. */
export function humanDuration(ms: number): string {
  // The apiserver tolerates up to two seconds of clock skew (excluded) and calls it "now".
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const days = Math.trunc(hours / 24);
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/**
 * The printers' translateTimestampSince: the age of an RFC 3339 timestamp at `now` (ms since the
 * epoch), or `<unknown>` when the timestamp is absent or unreadable (Go's zero time).
 */
export function timestampSince(timestamp: string | null | undefined, now: number): string {
  const t = parseTimestamp(timestamp);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

// Go's zero time.Time serialises as 0001-01-01T00:00:00Z; metav1.Time.IsZero treats it as unset.
const goZeroTime = Date.parse('0001-01-01T00:00:00Z');

/** Milliseconds since the epoch, or undefined for an absent, empty, zero or unparsable timestamp. */
export function parseTimestamp(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) || t === goZeroTime ? undefined : t;
}
