export default definePageConfig({ navigationBarTitleText: '驿站数据' });
