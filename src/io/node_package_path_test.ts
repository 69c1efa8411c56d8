import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageFilePath } from './node_package_path';

describe('packageFilePath', () => {
  it('finds a file inside an installed package', () => {
    expect(existsSync(packageFilePath('@vladmandic/human', 'models/centernet.json'))).toBe(true);
  });

  it('names a package that is not installed in one line', () => {
    expect(() => packageFilePath('@vladmandic/not-installed', 'models/centernet.json')).toThrow(
      /^npm package @vladmandic\/not-installed is not installed \(npm ci installs it\), so models\/centernet\.json cannot be read from it$/,
    );
  });
});
