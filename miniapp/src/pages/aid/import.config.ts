export default definePageConfig({ navigationBarTitleText: '档案导入' });
