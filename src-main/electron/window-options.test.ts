import { describe, expect, it } from 'vitest';
import { BACKGROUND, WINDOW_SIZE, windowOptions } from './window-options';

describe('windowOptions', () => {
  const opts = windowOptions({ preloadPath: '/app/out/preload/index.cjs' });
  const web = opts.webPreferences!;

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content, webviews and experiments', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web).not.toHaveProperty('additionalArguments');
  });

  it('loads exactly the given preload and enables spellcheck', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs');
    expect(web.spellcheck).toBe(true);
  });

  it('stays hidden until ready-to-show and has a sane size', () => {
    expect(opts.show).toBe(false);
    expect(opts.width).toBe(WINDOW_SIZE.width);
    expect(opts.minWidth).toBeLessThanOrEqual(opts.width!);
    expect(opts.minHeight).toBeLessThanOrEqual(opts.height!);
    expect(opts.minWidth).toBeGreaterThanOrEqual(640);
  });

  it('matches the theme background and only enables DevTools when asked', () => {
    expect(opts.backgroundColor).toBe(BACKGROUND.light);
    expect(windowOptions({ preloadPath: 'p', dark: true }).backgroundColor).toBe(BACKGROUND.dark);
    expect(web.devTools).toBe(false);
    expect(windowOptions({ preloadPath: 'p', devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('sets the icon only when one is given', () => {
    expect(opts).not.toHaveProperty('icon');
    expect(windowOptions({ preloadPath: 'p', iconPath: '/i.png' }).icon).toBe('/i.png');
  });
});
