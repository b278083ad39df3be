import { View } from '@tarojs/components';
import { Empty } from '../../components';

/** Entry page of the vouchers module (being built). */
export default function VouchersIndexPage() {
  return (
    <View className='page'>
      <View className='page-title'>消费券</View>
      <Empty text='即将上线' />
    </View>
  );
}
