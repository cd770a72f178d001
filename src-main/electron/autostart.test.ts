import { describe, expect, it } from 'vitest';
import { autostartPlan, execArg, startHidden, xdgAutostartEntry, xdgAutostartPath, xdgEntryEnabled } from './autostart';

const base = { env: {}, home: '/home/ann', execPath: '/opt/BitUnicom/bitunicom', extraArgs: [] as string[] };

describe('start at login', () => {
  it('uses login items with --hidden on Windows and macOS', () => {
    expect(autostartPlan({ ...base, platform: 'win32', enable: true })).toEqual({ kind: 'login-item', settings: { openAtLogin: true, args: ['--hidden'] } });
    expect(autostartPlan({ ...base, platform: 'darwin', enable: false })).toEqual({ kind: 'login-item', settings: { openAtLogin: false, args: ['--hidden'] } });
  });

  it('writes / removes ~/.config/autostart/bitunicom.desktop on Linux (XDG_CONFIG_HOME if absolute)', () => {
    const on = autostartPlan({ ...base, platform: 'linux', enable: true });
    expect(on).toMatchObject({ kind: 'xdg', file: '/home/ann/.config/autostart/bitunicom.desktop' });
    const content = (on as { content: string }).content;
    expect(content.split('\n')).toEqual(expect.arrayContaining(['[Desktop Entry]', 'Type=Application', 'Name=BitUnicom', 'Exec=/opt/BitUnicom/bitunicom --hidden', 'Terminal=false']));
    expect(xdgEntryEnabled(content)).toBe(true);
    expect(autostartPlan({ ...base, platform: 'linux', enable: false })).toEqual({ kind: 'xdg', file: '/home/ann/.config/autostart/bitunicom.desktop', content: null });
    expect(xdgAutostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/ann')).toBe('/x/cfg/autostart/bitunicom.desktop');
    expect(xdgAutostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/ann')).toBe('/home/ann/.config/autostart/bitunicom.desktop');
  });

  it('starts the AppImage file, not its temporary mount; unpackaged runs keep the app path and profile', () => {
    const p = autostartPlan({ ...base, platform: 'linux', enable: true, env: { APPIMAGE: '/home/ann/Apps/BitUnicom 0.1.AppImage' } });
    expect((p as { content: string }).content).toContain('Exec="/home/ann/Apps/BitUnicom 0.1.AppImage" --hidden\n');
    const dev = autostartPlan({ ...base, platform: 'linux', enable: true, execPath: '/w/electron', extraArgs: ['/w/app', '--data', '/tmp/50%'] });
    expect((dev as { content: string }).content).toContain('Exec=/w/electron /w/app --data /tmp/50%% --hidden\n');
  });

  it('quotes Exec arguments per the Desktop Entry Specification', () => {
    expect(execArg('/plain/path')).toBe('/plain/path');
    expect(execArg('a b')).toBe('"a b"');
    expect(execArg('$HOME`x`"q"\\')).toBe('"\\$HOME\\`x\\`\\"q\\"\\\\"');
    expect(xdgAutostartEntry({ exec: '/e', args: [] })).toMatch(/\n$/);
  });

  it('reads an existing entry as enabled unless hidden or disabled, and knows --hidden', () => {
    expect(xdgEntryEnabled(null)).toBe(false);
    expect(xdgEntryEnabled('garbage')).toBe(false);
    expect(xdgEntryEnabled('[Desktop Entry]\nHidden=true\n')).toBe(false);
    expect(xdgEntryEnabled('[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n')).toBe(false);
    expect(autostartPlan({ ...base, platform: 'aix', enable: true })).toEqual({ kind: 'unsupported' });
    expect(startHidden(['/opt/x', '--hidden'])).toBe(true);
    expect(startHidden(['/opt/x'])).toBe(false);
  });
});
