/** Staff entries of the stations module shown on 工作台. */
export const STATIONS_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string }> = [
  { id: 'wb-stations-manage', label: '驿站管理', url: '/pages/stations/manage' },
  { id: 'wb-stations-stats', label: '驿站数据', url: '/pages/stations/stats' },
];
