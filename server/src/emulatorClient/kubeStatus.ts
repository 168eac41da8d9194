// The text of a Kubernetes Status body, as kubectl shows a failed request's reason.

/** The `message` of a Status body, or the body itself when it has none or is not JSON. */
export function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s?.message === 'string' && s.message) return s.message;
  } catch {
    // Not JSON: the body says it in its own words.
  }
  return body.trim();
}
