export default definePageConfig({ navigationBarTitleText: '可用商户' });
