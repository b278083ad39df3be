/** Every TypeORM entity of the stations module (referenced by id only from other modules, never by relation). */
export const STATIONS_ENTITIES: Function[] = [];
