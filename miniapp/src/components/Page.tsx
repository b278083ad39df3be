import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { ELDER_CLASS, useElderMode } from '../elder';
import { Tap } from './Tap';
import './components.css';

const HOME = '/pages/index/index';
const isH5 = process.env.TARO_ENV === 'h5';

export interface PageProps {
  /** The page's title: on H5 in the title bar (an `<h1>`); weapp shows its own navigation bar from the page config. */
  title?: string;
  /** Show the H5 back button (返回, or 首页 when there is no page to go back to). Default true; the home page passes false. */
  back?: boolean;
  /** Extra classes on the root (e.g. `page-aid-code`). */
  className?: string;
  id?: string;
  children?: ReactNode;
}

function goBack() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: HOME });
}

/**
 * The root of every page: the class `page` (padding, scrolls rather than cuts off content that is too wide), the
 * class `elder` when 长辈模式 is on (which switches the theme's CSS variables, see app.css), the safe areas at the
 * bottom, and on H5 a title bar with a back button. Contract: the root of every page carries `elder` in elder mode.
 */
export function Page({ title, back = true, className, id, children }: PageProps) {
  const [elder] = useElderMode();
  return (
    <View className={`page ${elder ? ELDER_CLASS : ''} ${className ?? ''}`} id={id}>
      {isH5 && (title || back) && (
        <View className='page-bar' role='banner'>
          {back && (
            <Tap className='page-back' id='page-back' ariaLabel='返回上一页' onClick={goBack}>
              ‹ 返回
            </Tap>
          )}
          {title && (
            <View className='page-bar-title' role='heading' aria-level={1}>
              {title}
            </View>
          )}
        </View>
      )}
      {children}
    </View>
  );
}

/**
 * The 长辈模式 switch (big text, big buttons): the whole row is one tap target (id `elder-switch` by default,
 * role switch, aria-checked) and says 已开启 / 已关闭 in words. It turns the mode on or off for every page at once
 * and remembers the choice on this device (storage key `elderMode`).
 */
export function ElderSwitch({ id = 'elder-switch' }: { id?: string }) {
  const [elder, setElder] = useElderMode();
  return (
    <Tap
      id={id}
      className={`elder-row ${elder ? 'elder-row-on' : ''}`}
      role='switch'
      checked={elder}
      ariaLabel='长辈模式：字更大，按钮更大'
      data={{ on: elder ? 'true' : 'false' }}
      onClick={() => setElder(!elder)}
    >
      <View className='elder-row-text'>
        <Text className='elder-row-title'>长辈模式</Text>
        <Text className='elder-row-sub'>字更大，按钮更大</Text>
      </View>
      <Text className='elder-row-state'>{elder ? '已开启' : '已关闭'}</Text>
    </Tap>
  );
}
