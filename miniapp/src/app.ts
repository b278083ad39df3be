import { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // nothing to do at launch: each page loads its own data
  });
  return children;
}

export default App;
