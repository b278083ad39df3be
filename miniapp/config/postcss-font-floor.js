/**
 * PostCSS plugin (H5 and weapp): every `font-size` written as a plain length in the mini-program's own CSS
 * (files under src/) becomes `max(<size>, var(--fs-min))`, so no text on any page is smaller than the theme's
 * floor: 16 CSS px normally, 20 px in 长辈模式 (the `.elder` class raises --fs-min; see src/app.css). Sizes
 * already written with the theme's variables, keywords, percentages and em are left alone.
 */
const path = require('path');

const SRC = `${path.sep}src${path.sep}`;
const PLAIN_LENGTH = /^\d*\.?\d+(px|rpx|rem)$/i;

function fontFloor() {
  return {
    postcssPlugin: 'union-font-floor',
    Declaration: {
      'font-size'(decl) {
        const file = (decl.source && decl.source.input && decl.source.input.file) || '';
        if (!file.includes(SRC) || file.includes(`${path.sep}node_modules${path.sep}`)) return;
        const value = decl.value.trim();
        if (!PLAIN_LENGTH.test(value)) return;
        decl.value = `max(${value}, var(--fs-min))`;
      },
    },
  };
}
fontFloor.postcss = true;
module.exports = fontFloor;
