/** Staff entries of the vouchers module shown on 工作台. */
export const VOUCHERS_WORKBENCH_LINKS: Array<{ id: string; label: string; url: string }> = [
  { id: 'wb-vouchers-review', label: '商户审核', url: '/pages/vouchers/review' },
  { id: 'wb-vouchers-campaigns', label: '活动管理', url: '/pages/vouchers/campaigns' },
  { id: 'wb-vouchers-stats', label: '活动数据', url: '/pages/vouchers/stats' },
  { id: 'wb-vouchers-settlement', label: '结算对账', url: '/pages/vouchers/settlement' },
];
