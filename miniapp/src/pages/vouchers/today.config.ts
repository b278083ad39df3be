export default definePageConfig({ navigationBarTitleText: '今日核销' });
