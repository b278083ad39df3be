import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';
import { MAX_STATION_PHOTO_BYTES, MAX_STATION_PHOTOS, StationAdminView } from '@union/shared';
import { APP_CONFIG, AppConfig } from '../../config/config';
import type { User } from '../auth/user.entity';
import { StationsErrors as E } from './stations.errors';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

/** What the first bytes of a file say it is; only these image types are kept. */
export function sniffImage(buf: Buffer): { ext: 'jpg' | 'png' | 'webp'; contentType: string } | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { ext: 'jpg', contentType: 'image/jpeg' };
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { ext: 'png', contentType: 'image/png' };
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return { ext: 'webp', contentType: 'image/webp' };
  return null;
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Station photos: up to {@link MAX_STATION_PHOTOS} per station, JPEG/PNG/WebP by their magic bytes
 * (the declared type and name are ignored), at most {@link MAX_STATION_PHOTO_BYTES}; stored under
 * `<UPLOAD_DIR>/stations/` and served back by `GET /api/stations/photos/{name}`.
 */
@Injectable()
export class PhotosService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: StationsRepository,
    private readonly stations: StationsService,
  ) {}

  private get dir(): string {
    return join(this.config.uploadDir, 'stations');
  }

  /** @throws 404 (not managed), 400 no file, 413 PHOTO_TOO_LARGE, 415 PHOTO_TYPE, 409 PHOTO_LIMIT. */
  async add(user: User, stationId: number, file: { buffer: Buffer; size: number } | undefined): Promise<StationAdminView> {
    const station = await this.stations.getManaged(user, stationId);
    if (!file?.buffer?.length) throw E.photoMissing();
    if (file.buffer.length > MAX_STATION_PHOTO_BYTES) throw E.photoTooLarge();
    const kind = sniffImage(file.buffer);
    if (!kind) throw E.photoType();
    const fileName = `${station.id}-${randomBytes(12).toString('base64url')}.${kind.ext}`;
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(join(this.dir, fileName), file.buffer, { flag: 'wx' });
    const saved = await this.repo.insertPhoto({ stationId: station.id, fileName, contentType: kind.contentType, bytes: file.buffer.length, createdAt: new Date() }, MAX_STATION_PHOTOS);
    if (!saved) {
      await fs.rm(join(this.dir, fileName), { force: true });
      throw E.photoLimit();
    }
    return this.stations.adminView(station);
  }

  async remove(user: User, stationId: number, name: string): Promise<StationAdminView> {
    const station = await this.stations.getManaged(user, stationId);
    const photo = await this.repo.findPhoto(name);
    if (!photo || photo.stationId !== station.id) throw E.photoNotFound();
    if (await this.repo.deletePhoto(photo.id)) await fs.rm(join(this.dir, photo.fileName), { force: true });
    return this.stations.adminView(station);
  }

  /** The stored bytes of a photo (public: photos show on the public detail page). */
  async read(name: string): Promise<{ data: Buffer; contentType: string }> {
    const photo = await this.repo.findPhoto(name);
    if (!photo) throw E.photoNotFound();
    try {
      return { data: await fs.readFile(join(this.dir, photo.fileName)), contentType: CONTENT_TYPES[photo.fileName.split('.').pop()!] ?? photo.contentType };
    } catch {
      throw E.photoNotFound();
    }
  }
}
