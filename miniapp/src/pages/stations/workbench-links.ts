/** Staff entries of the stations module shown on 工作台. */
export const STATIONS_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string }> = [];
