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
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '工会服务',
    navigationBarTextStyle: 'white',
  },
});
