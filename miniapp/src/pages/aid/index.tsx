import { View } from '@tarojs/components';
import { Empty } from '../../components';

/** Entry page of the aid module (being built). */
export default function AidIndexPage() {
  return (
    <View className='page'>
      <View className='page-title'>一户一码帮扶</View>
      <Empty text='即将上线' />
    </View>
  );
}
