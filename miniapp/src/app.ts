import { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { isElderMode } from './elder';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // decide 长辈模式 once at launch (stored choice, else WeChat's font setting); on H5 this also sets <html>'s class
    isElderMode();
  });
  return children;
}

export default App;
