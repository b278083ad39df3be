/** Types, enums, constants and validators of the stations module. */
export {};
