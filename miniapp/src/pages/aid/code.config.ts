export default definePageConfig({ navigationBarTitleText: '帮扶查询' });
