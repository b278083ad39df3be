/** Staff entries of the aid module shown on 工作台. */
export const AID_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string }> = [
  { id: 'wb-aid-households', label: '困难职工档案', url: '/pages/aid/households' },
  { id: 'wb-aid-import', label: '档案导入', url: '/pages/aid/import' },
  { id: 'wb-aid-batches', label: '发放批次', url: '/pages/aid/batches' },
  { id: 'wb-aid-monitoring', label: '帮扶监测', url: '/pages/aid/monitoring' },
];
