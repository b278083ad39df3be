import { StationCheckIn, StationCheckInGuard } from './checkin.entity';
import { StationRating, StationReport } from './rating.entity';
import { Station, StationPhoto, StationsVersion } from './station.entity';

export { Station, StationPhoto, StationsVersion, StationCheckIn, StationCheckInGuard, StationRating, StationReport };

/** Every TypeORM entity of the stations module (referenced by id only from other modules, never by relation). */
export const STATIONS_ENTITIES: Function[] = [Station, StationPhoto, StationsVersion, StationCheckIn, StationCheckInGuard, StationRating, StationReport];
