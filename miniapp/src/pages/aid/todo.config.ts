export default definePageConfig({ navigationBarTitleText: '帮扶待办' });
