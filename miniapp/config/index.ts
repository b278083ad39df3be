import path from 'path';
import { defineConfig } from '@tarojs/cli';

const sharedSrc = path.resolve(__dirname, '../../shared/src');

/**
 * H5 is served by the API server on the same origin, so it calls `/api`.
 * weapp needs an absolute URL: TARO_APP_API_BASE or the local dev server.
 */
function apiBase(): string {
  if (process.env.TARO_ENV === 'h5') return process.env.TARO_APP_API_BASE || '/api';
  return process.env.TARO_APP_API_BASE || 'http://localhost:3000/api';
}

export default defineConfig(() => ({
  projectName: 'union-miniapp',
  date: '2025-01-01',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  // TARO_OUTPUT_ROOT lets parallel work build into its own folder; CI uses the default.
  outputRoot: process.env.TARO_OUTPUT_ROOT || `dist/${process.env.TARO_ENV}`,
  plugins: [],
  defineConstants: {
    API_BASE: JSON.stringify(apiBase()),
  },
  alias: {
    '@union/shared': path.resolve(sharedSrc, 'index.ts'),
  },
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  mini: {
    compile: { include: [sharedSrc] },
    postcss: {
      pxtransform: { enable: true, config: {} },
      cssModules: { enable: false },
      // theme floor: no text below var(--fs-min) (16 px, 20 px in 长辈模式); see config/postcss-font-floor.js
      './config/postcss-font-floor.js': { enable: true, config: {} },
    },
  },
  h5: {
    publicPath: './',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    compile: { include: [sharedSrc] },
    postcss: {
      autoprefixer: { enable: true, config: {} },
      // design px → rem with 1rem = 40 design px; src/app.css pins <html> to 125% of the browser's font size
      // (20 px by default), so sizes follow the user's font setting rather than the screen width
      pxtransform: { enable: true, config: { baseFontSize: 20, minRootSize: 20, maxRootSize: 20 } },
      cssModules: { enable: false },
      './config/postcss-font-floor.js': { enable: true, config: {} },
    },
  },
}));
