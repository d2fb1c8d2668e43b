import type { Sql } from '../../db/sql';
import type { Calendar } from '../../deps';
import { buildSnapshot, type CalendarSnapshot } from '../../lib/calendar';
import { loadCalendarData, readCalendarVersion } from './queries';

/**
 * The calendar snapshot of this process (holidays, places, and each procedure type's terms),
 * cached with its version. Every change the administrator makes, and any change to the procedure
 * catalogue (a trigger, migration 0110), bumps `calendar_state.version` in its own transaction,
 * so `ensure` reloads only when the database holds another version: a caller that already read
 * the version (a column of its own statement) costs no query at all, any other caller one tiny
 * query. It never answers a snapshot older than that version: a load already under way may have
 * read the data just before the change committed, so it loads again.
 */
export class CalendarStore implements Calendar {
  private current: CalendarSnapshot | undefined;
  private loading: Promise<CalendarSnapshot> | undefined;

  async ensure(sql: Sql, knownVersion?: number): Promise<CalendarSnapshot> {
    const cached = this.current;
    if (cached && knownVersion !== undefined && knownVersion === cached.version) return cached;
    const version = knownVersion ?? (await readCalendarVersion(sql));
    if (cached && cached.version === version) return cached;
    let snapshot = await this.reload(sql);
    // Bounded: a version seen inside a transaction that then rolled back never comes.
    for (let again = 0; snapshot.version < version && again < 2; again++) snapshot = await this.reload(sql);
    return snapshot;
  }

  /** The snapshot in memory, if one was loaded (for callers that must not wait, such as metrics). */
  peek(): CalendarSnapshot | undefined {
    return this.current;
  }

  /** A snapshot read inside the transaction that changed the data, adopted once it committed. */
  adopt(snapshot: CalendarSnapshot): void {
    if (!this.current || snapshot.version > this.current.version) this.current = snapshot;
  }

  private reload(sql: Sql): Promise<CalendarSnapshot> {
    this.loading ??= loadCalendarData(sql)
      .then((data) => {
        const snapshot = buildSnapshot(data);
        if (!this.current || snapshot.version >= this.current.version) this.current = snapshot;
        return snapshot;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}

/** Reads a fresh snapshot through `sql` (inside a transaction: with its uncommitted changes). */
export async function readSnapshot(sql: Sql): Promise<CalendarSnapshot> {
  return buildSnapshot(await loadCalendarData(sql));
}
