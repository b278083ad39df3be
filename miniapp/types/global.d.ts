/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** Base URL of the API, set by `defineConstants` in config/index.ts. */
declare const API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'quickapp' | 'qq' | 'jd';
    TARO_APP_API_BASE?: string;
  }
}
