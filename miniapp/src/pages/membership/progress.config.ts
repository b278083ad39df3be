// Pull-down refresh on weapp only: Taro H5's pull-to-refresh wrapper sits over the page's native <button>s and takes
// their clicks (the page reloads each time it is shown anyway).
export default definePageConfig({ navigationBarTitleText: '申请进度', enablePullDownRefresh: process.env.TARO_ENV !== 'h5' });
