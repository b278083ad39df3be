import { Injectable } from '@nestjs/common';
import { amenityMask, boundingBox, DEFAULT_NEARBY_RADIUS_M, haversineMeters, NearbyStation, Page } from '@union/shared';
import { toPage, pageParams } from '../../common/paging.dto';
import { NearbyQueryDto } from './dto/stations.dto';
import { IndexedStation, StationGeoIndex } from './station-geo-index';
import { StationsService } from './stations.service';

/**
 * Nearby search at national scale. The first pass is in memory: the bounding box of the search circle is a range
 * query on {@link StationGeoIndex}'s k-d tree (kept current with the database before every answer); then the exact
 * haversine distance, the radius, the amenity mask and open-now (Asia/Shanghai, memoised per station and minute)
 * are applied to the candidates, which are sorted by distance then id and paged. Only the page's views read the
 * database (org, photos, ratings).
 */
@Injectable()
export class NearbyService {
  constructor(private readonly index: StationGeoIndex, private readonly stations: StationsService) {}

  async nearby(q: NearbyQueryDto, at: number = Date.now()): Promise<Page<NearbyStation>> {
    const radius = q.radiusM ?? DEFAULT_NEARBY_RADIUS_M;
    const mask = amenityMask(q.amenities ? q.amenities.split(',') : []);
    const candidates = await this.index.within(boundingBox(q.lat, q.lng, radius));
    const hits: Array<{ e: IndexedStation; d: number }> = [];
    for (const e of candidates) {
      const s = e.station;
      if ((s.amenityMask & mask) !== mask) continue;
      const d = haversineMeters(q.lat, q.lng, s.lat, s.lng);
      if (d > radius) continue;
      if (q.openNow && !this.index.openState(e, at).open) continue;
      hits.push({ e, d });
    }
    hits.sort((a, b) => a.d - b.d || a.e.station.id - b.e.station.id);
    const { skip, take } = pageParams(q);
    const pageHits = hits.slice(skip, skip + take);
    const indexed = new Map(pageHits.map((h) => [h.e.station, h.e]));
    const views = await this.stations.views(pageHits.map((h) => h.e.station), at, (s) => this.index.openState(indexed.get(s)!, at));
    return toPage(views.map((v, i) => ({ ...v, distanceM: Math.round(pageHits[i].d * 10) / 10 })), hits.length, q);
  }
}
