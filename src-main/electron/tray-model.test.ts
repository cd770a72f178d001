import { describe, expect, it } from 'vitest';
import { UnreadCounter, badgeCount, nextSealingMode, trayIconPath, trayMenu, trayTooltip, unreadLabel } from './tray-model';

const labels = (items: ReturnType<typeof trayMenu>) => items.map((i) => (i.kind === 'separator' ? '—' : i.label));

describe('tray model', () => {
  it('counts unread messages from friends only, as the renderer does, following contact updates', () => {
    const u = new UnreadCounter();
    u.reset([
      { address: '0xAA', state: 'friend', unread: 2 },
      { address: '0xbb', state: 'pending_in', unread: 5 },
      { address: '0xcc', state: 'friend', unread: 0 },
    ]);
    expect(u.total).toBe(2);
    u.update({ address: '0xcc', state: 'friend', unread: 1 });
    u.update({ address: '0xaa', state: 'friend', unread: 3 }); // same contact, other case
    expect(u.total).toBe(4);
    u.update({ address: '0xAA', state: 'blocked', unread: 3 });
    expect(u.total).toBe(1);
    u.update({ address: '0xcc', state: 'friend', unread: 0 }); // read
    expect(u.total).toBe(0);
  });

  it('labels, tooltip and badge', () => {
    expect(unreadLabel(0)).toBe('No unread messages');
    expect(unreadLabel(3)).toBe('3 unread');
    expect(unreadLabel(1500)).toBe('999+ unread');
    expect(trayTooltip({ unread: 0 })).toBe('BitUnicom');
    expect(trayTooltip({ unread: 3 })).toBe('BitUnicom — 3 unread');
    expect(badgeCount({ unread: 3 })).toBe(3);
    expect(badgeCount({ unread: -1 })).toBe(0);
  });

  it('menu: Open, unread, sealing and autostart toggles, Quit', () => {
    const m = trayMenu({ unread: 3, sealingMode: 'idle', autostart: false });
    expect(labels(m)).toEqual(['Open BitUnicom', '3 unread', '—', 'Sealing when idle', 'Start at login (in the tray, to seal)', '—', 'Quit BitUnicom']);
    expect(m[1]).toMatchObject({ action: 'open', enabled: true });
    expect(m[3]).toMatchObject({ kind: 'checkbox', action: 'toggle-sealing', checked: true });
    expect(m[4]).toMatchObject({ kind: 'checkbox', action: 'toggle-autostart', checked: false });
    expect(m[6]).toMatchObject({ action: 'quit' });
    expect(trayMenu({ unread: 0, sealingMode: 'never', autostart: true })[3]).toMatchObject({ checked: false });
    expect(trayMenu({ unread: 0, sealingMode: 'always', autostart: null })[3]).toMatchObject({ label: 'Sealing (always)', checked: true });
    expect(labels(trayMenu({ unread: 0, sealingMode: null, autostart: null }))).toEqual(['Open BitUnicom', 'No unread messages', '—', 'Quit BitUnicom']);
    expect(trayMenu({ unread: 0, sealingMode: null, autostart: null })[1]).toMatchObject({ enabled: false });
  });

  it('toggling sealing switches between when-idle and never', () => {
    expect(nextSealingMode('idle')).toBe('never');
    expect(nextSealingMode('always')).toBe('never');
    expect(nextSealingMode('never')).toBe('idle');
  });

  it('uses the generated icon sizes', () => {
    expect(trayIconPath('/app', 'darwin')).toBe('/app/resources/icons/16x16.png');
    expect(trayIconPath('/app', 'linux')).toBe('/app/resources/icons/32x32.png');
  });
});
