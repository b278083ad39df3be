export default definePageConfig({ navigationBarTitleText: '明白卡打印' });
