// Readers for the fields that the shared object types leave open (`unknown`). Each returns what
// Go's zero value would be when the field is absent or has the wrong JSON type, which is what
// the printers see after decoding.

export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function asNumber(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function asBoolean(v: unknown): boolean {
  return v === true;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asRecords(v: unknown): Record<string, unknown>[] {
  if (!Array.isArray(v)) return [];
  const out: Record<string, unknown>[] = [];
  for (const item of v) {
    const r = asRecord(item);
    if (r) out.push(r);
  }
  return out;
}
