/** Every TypeORM entity of the vouchers module (referenced by id only from other modules, never by relation). */
export const VOUCHERS_ENTITIES: Function[] = [];
