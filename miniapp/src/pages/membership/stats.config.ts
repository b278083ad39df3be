export default definePageConfig({ navigationBarTitleText: '会员统计' });
