/** Types, enums, constants and validators of the aid module. */
export {};
