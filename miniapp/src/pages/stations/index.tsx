import { View } from '@tarojs/components';
import { Empty } from '../../components';

/** Entry page of the stations module (being built). */
export default function StationsIndexPage() {
  return (
    <View className='page'>
      <View className='page-title'>户外劳动者服务站</View>
      <Empty text='即将上线' />
    </View>
  );
}
