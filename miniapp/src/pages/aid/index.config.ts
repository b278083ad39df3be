export default definePageConfig({ navigationBarTitleText: '一户一码帮扶' });
