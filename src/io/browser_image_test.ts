import { describe, expect, it } from 'vitest';
import { isSvg, smallImageWarning } from './browser_image';

describe('isSvg', () => {
  it('knows SVG by type, by name, or by its opening text', () => {
    expect(isSvg('image/svg+xml', 'x', '')).toBe(true);
    expect(isSvg('', 'drawing.SVG', '')).toBe(true);
    expect(isSvg('', 'pasted image', '<?xml version="1.0"?>\n<!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg">')).toBe(true);
    expect(isSvg('', 'x', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg width="4">')).toBe(true);
  });

  it('leaves other images alone', () => {
    expect(isSvg('image/png', 'photo.png', '\x89PNG\r\n')).toBe(false);
    expect(isSvg('image/jpeg', 'svg-notes.jpg', '\xff\xd8\xff')).toBe(false);
    expect(isSvg('', 'x', '<svgx>')).toBe(false);
  });
});

describe('smallImageWarning', () => {
  it('warns below 32 pixels on either side only', () => {
    expect(smallImageWarning(32, 32)).toBeNull();
    expect(smallImageWarning(640, 480)).toBeNull();
    expect(smallImageWarning(20, 12)).toContain('only 20×12 pixels (under 32 on a side)');
    expect(smallImageWarning(400, 31)).not.toBeNull();
  });
});
