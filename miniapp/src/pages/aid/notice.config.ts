export default definePageConfig({ navigationBarTitleText: '帮扶公示' });
