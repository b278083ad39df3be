export default definePageConfig({ navigationBarTitleText: '户外劳动者服务站' });
