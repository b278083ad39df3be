// babel-preset-taro: React + TypeScript, webpack5 runner (see /work/shared/TOOLCHAIN.md)
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
