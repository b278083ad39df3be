/** Staff entries of the aid module shown on 工作台. */
export const AID_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string }> = [];
