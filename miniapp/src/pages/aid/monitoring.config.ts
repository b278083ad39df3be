export default definePageConfig({ navigationBarTitleText: '帮扶监测' });
