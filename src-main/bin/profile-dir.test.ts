import { describe, expect, it } from 'vitest';
import { APP_DIR_NAME, defaultProfileDir } from './profile-dir.mjs';

describe('defaultProfileDir', () => {
  it('Linux: $XDG_CONFIG_HOME/BitUnicom, else ~/.config/BitUnicom', () => {
    expect(defaultProfileDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/home/a' })).toBe('/x/cfg/BitUnicom');
    expect(defaultProfileDir({ platform: 'linux', env: {}, home: '/home/a' })).toBe('/home/a/.config/BitUnicom');
    expect(defaultProfileDir({ platform: 'freebsd', env: { XDG_CONFIG_HOME: '' }, home: '/home/a' })).toBe('/home/a/.config/BitUnicom');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec requires', () => {
    expect(defaultProfileDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'cfg' }, home: '/home/a' })).toBe('/home/a/.config/BitUnicom');
  });

  it('Windows: %APPDATA%\\BitUnicom, else <home>\\AppData\\Roaming\\BitUnicom', () => {
    expect(defaultProfileDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, home: 'C:\\Users\\a' })).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\BitUnicom',
    );
    expect(defaultProfileDir({ platform: 'win32', env: {}, home: 'C:\\Users\\a' })).toBe('C:\\Users\\a\\AppData\\Roaming\\BitUnicom');
  });

  it('macOS: ~/Library/Application Support/BitUnicom', () => {
    expect(defaultProfileDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/x' }, home: '/Users/a' })).toBe('/Users/a/Library/Application Support/BitUnicom');
  });

  it('uses the real environment by default', () => {
    expect(defaultProfileDir().endsWith(APP_DIR_NAME)).toBe(true);
  });
});
