/** Staff entries of the vouchers module shown on 工作台. */
export const VOUCHERS_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string }> = [];
