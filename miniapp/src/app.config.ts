import { AID_PAGES } from './pages/aid/pages';
import { STATIONS_PAGES } from './pages/stations/pages';
import { VOUCHERS_PAGES } from './pages/vouchers/pages';

export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/join/index',
    'pages/membership/progress',
    'pages/membership/card',
    'pages/membership/review',
    'pages/membership/stats',
    'pages/membership/join-codes',
    'pages/workbench/index',
    'pages/messages/index',
    ...AID_PAGES,
    ...STATIONS_PAGES,
    ...VOUCHERS_PAGES,
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '工会服务',
    navigationBarTextStyle: 'white',
  },
});
