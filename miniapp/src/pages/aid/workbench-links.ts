import { getAidTodoCounts } from '../../api/aid-applications';

/**
 * Staff entries of the aid module shown on 工作台.
 * `count` (optional): a figure shown beside the link on 工作台, e.g. applications waiting to be accepted.
 */
export const AID_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string; count?: () => Promise<string> }> = [
  {
    id: 'wb-aid-todo', label: '帮扶待办', url: '/pages/aid/todo',
    count: async () => {
      const c = await getAidTodoCounts();
      return `待受理 ${c.submitted}${c.overdue ? ` · 超时 ${c.overdue}` : ''}${c.toConfirm ? ` · 待复核 ${c.toConfirm}` : ''}`;
    },
  },
  { id: 'wb-aid-households', label: '困难职工档案', url: '/pages/aid/households' },
  { id: 'wb-aid-import', label: '档案导入', url: '/pages/aid/import' },
  { id: 'wb-aid-batches', label: '发放批次', url: '/pages/aid/batches' },
  { id: 'wb-aid-monitoring', label: '帮扶监测', url: '/pages/aid/monitoring' },
  { id: 'wb-aid-notice', label: '帮扶公示', url: '/pages/aid/notice' },
];
