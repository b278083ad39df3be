/** Types, enums, constants and validators of the vouchers module. */
export {};
