/**
 * "2026-12-05 14:05 (Europe/London)": a time as the helpdesk reads it, in the configured zone (HELPDESK_TIME_ZONE) and
 * always with the zone named, so a reader elsewhere is never misled; "2026-11-24 10:05 UTC" in UTC, as the audit log
 * shows it. The one formatter for times people read on cards and in messages (views re-export it from views/format.ts;
 * it lives in the domain because use cases, which may not import views, write messages too). The export and the journal
 * keep ISO times: they are the machine-readable record.
 */
export function formatTime(iso: string | undefined, timeZone: string): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'unknown';
  if (timeZone === 'UTC') return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}
