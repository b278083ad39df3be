import { AID_SUBPACKAGE } from './pages/aid/pages';
import { STATIONS_SUBPACKAGE } from './pages/stations/pages';
import { VOUCHERS_SUBPACKAGE } from './pages/vouchers/pages';

/**
 * The app's pages. On weapp the main package holds only what a first visit needs (home, join, membership progress
 * and card, messages); each module is a subpackage rooted at its own folder, so every page keeps its path
 * (`pages/aid/code` stays `pages/aid/code`). WeChat forbids a main-package page inside a subpackage root, so a folder
 * is either all main package or all subpackage. The home page preloads the aid and vouchers subpackages (the
 * household code and the voucher pages) in the background. `lazyCodeLoading` injects only the components a page
 * uses. H5 flattens subpackages into ordinary routes. Sizes and checks: docs/miniapp.md "WeChat package".
 */
export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/join/index',
    'pages/membership/progress',
    'pages/membership/card',
    'pages/membership/review',
    'pages/membership/stats',
    'pages/membership/join-codes',
    'pages/messages/index',
  ],
  subPackages: [
    AID_SUBPACKAGE,
    VOUCHERS_SUBPACKAGE,
    STATIONS_SUBPACKAGE,
    { root: 'pages/workbench', pages: ['index'] },
  ],
  preloadRule: {
    'pages/index/index': { network: 'all', packages: [AID_SUBPACKAGE.root, VOUCHERS_SUBPACKAGE.root] },
  },
  lazyCodeLoading: 'requiredComponents',
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '工会服务',
    navigationBarTextStyle: 'white',
  },
});
