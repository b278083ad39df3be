import { Injectable } from '@nestjs/common';
import { amenityMask, boundingBox, DEFAULT_NEARBY_RADIUS_M, evaluateOpen, haversineMeters, NearbyStation, OpeningRules, Page } from '@union/shared';
import { toPage, pageParams } from '../../common/paging.dto';
import { NearbyQueryDto } from './dto/stations.dto';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

/**
 * Nearby search. Index-backed at national scale: the bounding box of the search circle is a range
 * scan on the (lat, lng, amenityMask) index (never a scan of every station), then the exact
 * haversine distance, the radius, the amenity mask and open-now (Asia/Shanghai) are applied in
 * code to the few candidates, sorted by distance then id, and paged.
 */
@Injectable()
export class NearbyService {
  constructor(private readonly repo: StationsRepository, private readonly stations: StationsService) {}

  async nearby(q: NearbyQueryDto, at: number = Date.now()): Promise<Page<NearbyStation>> {
    const radius = q.radiusM ?? DEFAULT_NEARBY_RADIUS_M;
    const mask = amenityMask(q.amenities ? q.amenities.split(',') : []);
    const candidates = await this.repo.nearbyCandidates(boundingBox(q.lat, q.lng, radius), mask, !!q.openNow);
    const hits: Array<{ id: number; d: number }> = [];
    for (const c of candidates) {
      const d = haversineMeters(q.lat, q.lng, c.lat, c.lng);
      if (d > radius) continue;
      if (q.openNow) {
        const rules: OpeningRules = { hours: parseJson(c.hours), closedDates: parseJson(c.closedDates), status: c.status as OpeningRules['status'], closedUntil: c.closedUntil ?? null };
        if (!evaluateOpen(rules, at).open) continue;
      }
      hits.push({ id: c.id, d });
    }
    hits.sort((a, b) => a.d - b.d || a.id - b.id);
    const { skip, take } = pageParams(q);
    const pageHits = hits.slice(skip, skip + take);
    const rows = await this.repo.findStationsByIds(pageHits.map((h) => h.id));
    const views = await this.stations.views(pageHits.map((h) => rows.get(h.id)!), at);
    return toPage(views.map((v, i) => ({ ...v, distanceM: Math.round(pageHits[i].d * 10) / 10 })), hits.length, q);
  }
}

function parseJson(v: unknown): any {
  return typeof v === 'string' ? JSON.parse(v) : v;
}
