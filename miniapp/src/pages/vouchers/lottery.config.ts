export default definePageConfig({ navigationBarTitleText: '摇号开奖' });
