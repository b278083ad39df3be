import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import KDBush from 'kdbush';
import { BoundingBox, evaluateOpen, OpeningRules, OpenState } from '@union/shared';
import { StationCore, StationsRepository, StationsVersionStamp, toDate } from './stations.repository';

/**
 * A station as the index holds it: position, amenities and opening rules (hours and closed dates parsed once per
 * distinct JSON text and shared), with its open state memoised for one minute (evaluateOpen depends on the minute only).
 */
export interface IndexedStation {
  id: number;
  lat: number;
  lng: number;
  mask: number;
  rules: OpeningRules;
  /** Position in the current tree's arrays. */
  slot: number;
  /** `floor(at / 60 000)` the memo is for; −1 when none. */
  minute: number;
  openState: OpenState | null;
}

/**
 * The tree and, per slot, what the nearby loop reads (struct of arrays: no object per candidate). `cosLat` is
 * `Math.cos(lat · π/180)`, the very value haversineMeters computes, so a distance built from it is bit-identical.
 */
export interface GeoSlots {
  entries: IndexedStation[];
  id: Int32Array;
  lat: Float64Array;
  lng: Float64Array;
  cosLat: Float64Array;
  mask: Int32Array;
}

/** Edits whose `updatedAt` is older than the newest one seen by less than this are fetched again (commit lag, clock skew). */
const SLACK_MS = 60_000;
/** A full load pages through the primary key this many rows at a time. */
const LOAD_BATCH = 5_000;
/** How often the background check compares the row count (catches out-of-band deletes). */
const RECONCILE_MS = 2_000;

/**
 * Every station in memory — position, amenity mask and opening rules only (≈ 150 bytes each, hours shared between
 * stations that have the same) — in a static k-d tree (kdbush) over (lng, lat): the nearby search's first pass
 * without a range scan. The database stays the source of truth:
 * - before answering, {@link current} reads the stations' version (the write counter, highest id, latest `updatedAt`:
 *   a primary-key and two index-edge look-ups in one statement; concurrent requests share one read that started after they arrived) and, when it moved, catches up before the request goes on (new ids, rows edited since
 *   the last seen `updatedAt` minus {@link SLACK_MS}, and the ids this process wrote through the repository); so an
 *   edit made in any process, or straight in SQL, is visible to the next request of every process;
 * - a catch-up after which the table holds fewer rows than the index (a delete outside the application) reloads
 *   everything; a background check every {@link RECONCILE_MS} compares the counts too, catches up when the version
 *   moved (keeps the index warm during a bulk import) and reloads everything when it did not.
 * One catch-up runs at a time; concurrent requests wait for it. Rebuilding the tree for 200,000 stations takes tens of
 * milliseconds and happens only when a station is added or moved.
 */
@Injectable()
export class StationGeoIndex implements OnModuleDestroy {
  private readonly log = new Logger(StationGeoIndex.name);
  private byId = new Map<number, IndexedStation>();
  private tree: KDBush<IndexedStation> | null = null;
  private slots: GeoSlots | null = null;
  private readonly json = new Map<string, unknown>();
  private known: StationsVersionStamp | null = null;
  private readonly pending = new Set<number>();
  private forceFull = true;
  private syncing: Promise<void> | null = null;
  private versionRead: Promise<StationsVersionStamp> | null = null;
  private nextVersionRead: Promise<StationsVersionStamp> | null = null;
  private started = 0;
  private finished = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly repo: StationsRepository) {
    repo.stationWrites.add((id) => this.pending.add(id));
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Slots of the stations inside `box` (inclusive), as of a version read during this call, and the arrays they index. */
  async within(box: BoundingBox): Promise<{ hits: number[]; slots: GeoSlots }> {
    await this.current();
    return { hits: this.tree!.range(box.minLng, box.minLat, box.maxLng, box.maxLat), slots: this.slots! };
  }

  /** The open state of an indexed station at `at`, memoised per minute. */
  openState(e: IndexedStation, at: number): OpenState {
    const minute = Math.floor(at / 60_000);
    if (e.minute !== minute || !e.openState) {
      e.openState = evaluateOpen(e.rules, at);
      e.minute = minute;
    }
    return e.openState;
  }

  /** Number of stations held (for tests and the bench). */
  get size(): number {
    return this.byId.size;
  }

  /** Returns once the index reflects every station change committed before the call. */
  async current(): Promise<void> {
    const v = this.forceFull || this.pending.size ? null : await this.readVersion();
    if (v && this.known && v.maxId === this.known.maxId && v.maxAt === this.known.maxAt && v.seq === this.known.seq) return;
    const need = this.started + 1;
    while (this.finished < need) await this.sync();
  }

  /**
   * The stations' version, read by a statement that starts after this call: concurrent callers share one read
   * (the one in flight if none is, else the next one, queued behind it), so a burst costs one or two reads, not one each.
   */
  private readVersion(): Promise<StationsVersionStamp> {
    if (!this.versionRead) {
      this.versionRead = this.repo.stationsVersion().finally(() => { this.versionRead = null; });
      return this.versionRead;
    }
    if (!this.nextVersionRead) {
      this.nextVersionRead = this.versionRead.catch(() => undefined).then(() => {
        this.nextVersionRead = null;
        return this.readVersion();
      });
    }
    return this.nextVersionRead;
  }

  /** Runs one catch-up, or waits for the one running. */
  private sync(): Promise<void> {
    if (!this.syncing) {
      const n = ++this.started;
      this.syncing = this.catchUp()
        .then(() => { this.finished = n; })
        .finally(() => { this.syncing = null; });
    }
    return this.syncing;
  }

  private async catchUp(): Promise<void> {
    const v = await this.repo.stationsVersion();
    const ids = [...this.pending];
    this.pending.clear();
    if (this.forceFull || !this.known || v.maxId < this.known.maxId) return this.fullLoad(v);
    const rows: StationCore[] = [];
    if (v.maxId > this.known.maxId) rows.push(...(await this.pageAfter(this.known.maxId)));
    if (v.maxAt !== this.known.maxAt || v.seq !== this.known.seq) {
      const since = this.known.maxAt ? toDate(this.known.maxAt).getTime() - SLACK_MS : 0;
      rows.push(...(await this.repo.stationCores({ since: new Date(since) })));
    }
    if (ids.length) rows.push(...(await this.repo.stationCores({ ids })));
    let moved = !this.tree;
    for (const s of rows) {
      const old = this.byId.get(s.id);
      if (!old || old.lat !== s.lat || old.lng !== s.lng) moved = true;
      const e = this.toIndexed(s);
      if (old) {
        // same object and slot: the tree keeps pointing at it
        Object.assign(old, { ...e, slot: old.slot });
        if (this.slots && this.slots.entries[old.slot] === old) this.slots.mask[old.slot] = e.mask;
      } else this.byId.set(s.id, e);
    }
    // fewer rows than held: some vanished outside the application. More rows: inserted after our reads; the version
    // has moved with them, so the next request (or the background check) fetches them.
    if ((await this.repo.countAllStations()) < this.byId.size) return this.fullLoad(v);
    if (moved) this.rebuild();
    this.known = v;
  }

  private async pageAfter(afterId: number): Promise<StationCore[]> {
    const out: StationCore[] = [];
    for (let last = afterId; ;) {
      const page = await this.repo.stationCores({ afterId: last, limit: LOAD_BATCH });
      out.push(...page);
      if (page.length < LOAD_BATCH) return out;
      last = page[page.length - 1].id;
    }
  }

  private async fullLoad(v: StationsVersionStamp): Promise<void> {
    this.forceFull = false;
    const rows = await this.pageAfter(0);
    this.byId = new Map(rows.map((s) => [s.id, this.toIndexed(s)]));
    this.rebuild();
    this.known = v;
  }

  private toIndexed(s: StationCore): IndexedStation {
    const rules: OpeningRules = { hours: this.interned(s.hours), closedDates: this.interned(s.closedDates), status: s.status, closedUntil: s.closedUntil };
    return { id: s.id, lat: s.lat, lng: s.lng, mask: s.amenityMask, rules, slot: -1, minute: -1, openState: null };
  }

  /** The parsed value of a JSON text, one shared (read-only) object per distinct text: most stations share their hours. */
  private interned<T>(json: string): T {
    let v = this.json.get(json);
    if (v === undefined) {
      if (this.json.size > 100_000) this.json.clear(); // bounded; objects already handed out stay valid
      v = JSON.parse(json);
      this.json.set(json, v);
    }
    return v as T;
  }

  private rebuild(): void {
    const entries = [...this.byId.values()];
    const n = entries.length;
    const slots: GeoSlots = { entries, id: new Int32Array(n), lat: new Float64Array(n), lng: new Float64Array(n), cosLat: new Float64Array(n), mask: new Int32Array(n) };
    entries.forEach((e, i) => {
      e.slot = i;
      slots.id[i] = e.id;
      slots.lat[i] = e.lat;
      slots.lng[i] = e.lng;
      slots.cosLat[i] = Math.cos(e.lat * (Math.PI / 180));
      slots.mask[i] = e.mask;
    });
    this.tree = new KDBush(entries, (e) => e.lng, (e) => e.lat, 64, Float64Array);
    this.slots = slots;
  }

  /**
   * Background: when the row count differs from the index's, catch up as a request would (the version moved: new or
   * edited rows), or, when the version has not moved, reload everything (rows deleted or inserted under old ids in SQL).
   */
  private async reconcile(): Promise<void> {
    if (!this.known || this.syncing) return;
    try {
      const [count, v] = await Promise.all([this.repo.countAllStations(), this.repo.stationsVersion()]);
      if (count === this.byId.size || this.syncing || !this.known) return;
      if (v.maxId === this.known.maxId && v.maxAt === this.known.maxAt && v.seq === this.known.seq) this.forceFull = true;
      await this.sync();
    } catch (e) {
      this.log.debug(`station index reconcile skipped: ${(e as Error).message}`);
    }
  }
}
