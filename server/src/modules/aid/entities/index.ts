/** Every TypeORM entity of the aid module (referenced by id only from other modules, never by relation). */
export const AID_ENTITIES: Function[] = [];
