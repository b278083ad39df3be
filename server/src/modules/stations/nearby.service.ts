import { Injectable } from '@nestjs/common';
import TinyQueue from 'tinyqueue';
import { amenityMask, boundingBox, DEFAULT_NEARBY_RADIUS_M, EARTH_RADIUS_M, NearbyStation, Page } from '@union/shared';
import { toPage, pageParams } from '../../common/paging.dto';
import { NearbyQueryDto } from './dto/stations.dto';
import { IndexedStation, StationGeoIndex } from './station-geo-index';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

interface Hit {
  e: IndexedStation;
  id: number;
  d: number;
  /** 1 when closed now and the query asked for open stations first, else 0: the first sort key. */
  c: number;
}

const RAD = Math.PI / 180;

/**
 * Nearby search at national scale. The first pass is in memory: the bounding box of the search circle is a range
 * query on {@link StationGeoIndex}'s k-d tree (kept current with the database before every answer); then the exact
 * haversine distance, the radius, the amenity mask and open-now (Asia/Shanghai, memoised per station and minute)
 * are applied to the candidates; the first page-end hits by (distance, id) — with `openFirst`, by (closed now, distance,
 * id) — are kept in a bounded max-heap (the rest
 * only counted), sorted and paged. Only the page reads the database: its rows by primary key, then their views
 * (org, photos, rating totals), each of those four reads shared with the concurrent searches of the same event-loop
 * round (batchedMap): at 100 users at once, a handful of statements per round instead of four per search.
 */
@Injectable()
export class NearbyService {
  constructor(private readonly index: StationGeoIndex, private readonly repo: StationsRepository, private readonly stations: StationsService) {}

  async nearby(q: NearbyQueryDto, at: number = Date.now()): Promise<Page<NearbyStation>> {
    const radius = q.radiusM ?? DEFAULT_NEARBY_RADIUS_M;
    const mask = amenityMask(q.amenities ? q.amenities.split(',') : []);
    const { hits: candidates, slots } = await this.index.within(boundingBox(q.lat, q.lng, radius));
    const { skip, take } = pageParams(q);
    // the first skip + take hits by (closed, distance, id), kept in a max-heap; the others are only counted
    const keep = skip + take;
    const worst = new TinyQueue<Hit>([], (a, b) => b.c - a.c || b.d - a.d || b.id - a.id);
    const { id: ids, lat, lng, cosLat, mask: masks, entries } = slots;
    // haversineMeters(q.lat, q.lng, lat[i], lng[i]), written out with the station's cosine precomputed (bit-identical)
    const cos0 = Math.cos(q.lat * RAD);
    let total = 0;
    for (const i of candidates) {
      if ((masks[i] & mask) !== mask) continue;
      const dLat = (lat[i] - q.lat) * RAD;
      const dLng = (lng[i] - q.lng) * RAD;
      const a = Math.sin(dLat / 2) ** 2 + cos0 * cosLat[i] * Math.sin(dLng / 2) ** 2;
      const d = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
      if (d > radius) continue;
      if (q.openNow && !this.index.openState(entries[i], at).open) continue;
      const c = q.openFirst && !q.openNow && !this.index.openState(entries[i], at).open ? 1 : 0;
      total++;
      if (worst.length < keep) worst.push({ e: entries[i], id: ids[i], d, c });
      else if (keep > 0) {
        const w = worst.peek()!;
        if (c < w.c || (c === w.c && (d < w.d || (d === w.d && ids[i] < w.id)))) {
          worst.pop();
          worst.push({ e: entries[i], id: ids[i], d, c });
        }
      }
    }
    const hits = worst.data.slice(0, worst.length).sort((a, b) => a.c - b.c || a.d - b.d || a.id - b.id);
    const pageHits = hits.slice(skip, skip + take);
    const rows = await this.repo.shared.stations.many(pageHits.map((h) => h.id));
    const shown = pageHits.filter((h) => rows.has(h.id)); // a row deleted since the index read it (outside the application)
    const indexed = new Map(shown.map((h) => [h.id, h.e]));
    const views = await this.stations.views(shown.map((h) => rows.get(h.id)!), at, (s) => this.index.openState(indexed.get(s.id)!, at), true);
    return toPage(views.map((v, i) => ({ ...v, distanceM: Math.round(shown[i].d * 10) / 10 })), total, q);
  }
}
