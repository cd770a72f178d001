/**
 * @module electron/main
 * The Electron shell: thin glue between Electron and the core. Everything it decides is data
 * or a pure function in a sibling module (window-options, csp, links, permissions, security,
 * notifications, app-config), unit-tested without Electron; this file only wires them up.
 *
 *  1. profile: `--data <dir>` or the shared default (src-main/bin/profile-dir.mjs), set as
 *     `userData` so Electron's single-instance lock is per profile; Chromium's own files go to
 *     `<profile>/electron` (sessionData), apart from the node's vault and database;
 *  2. single instance: a second launch focuses the existing window and exits;
 *  3. the node: `createNode` (which also takes the core's profile lock, so the Electron and the
 *     headless shell never open one profile together) with the Electron-ABI SQLite addon;
 *  4. the bridge: dispatcher + event hub served over IPC, only to the app document's main frame;
 *  5. security: sandbox for every renderer, hardened session and WebContents (security.ts);
 *  6. dapps: the privileged `bu-dapp://` scheme serves each installed dapp in its own origin
 *     (dapp-protocol.ts, dapp-sandbox.ts); their storage is cleared when one is uninstalled;
 *  7. notifications for incoming messages while the window is unfocused;
 *     the sealing worker's idle source: OS idle time and power state (idle-glue.ts);
 *  8. quit: the node is closed (bounded wait) before the process exits, also on SIGTERM/SIGINT;
 *  9. desktop: tray icon with unread count and badge, start at login (tray.ts, tray-model.ts,
 *     autostart.ts), `bitunicom:` invite links from the OS (protocol-links.ts): confirmed in a
 *     dialog, then `contacts.add` (which verifies the invite's signature).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BrowserWindow, Menu, Notification, Tray, app, dialog, ipcMain, nativeTheme, powerMonitor, protocol, session, shell } from 'electron';
import { electronBindingPath } from '../../native/binding-path.mjs';
import { IPC_EVENT_CHANNEL, IPC_MEDIA_CHANNEL, errorSentence, isErrorCode, type EventFrame } from '../../src-preload/contract';
import { defaultProfileDir } from '../bin/profile-dir.mjs';
import { createDispatcher } from '../bridge/dispatcher';
import { createEventHub } from '../bridge/event-hub';
import { serveIpc } from '../bridge/ipc-transport';
import { createNode, type BuNode } from '../core';
import { dataDirArg, iconPath, preloadPath, rendererHtmlPath, rendererLocation } from './app-config';
import { createDappProtocolHandler } from './dapp-protocol';
import { DAPP_SCHEME, DAPP_SCHEME_PRIVILEGES, dappOrigin, dappUrl } from './dapp-sandbox';
import { startIdleGlue } from './idle-glue';
import { startHidden } from './autostart';
import { createStderrLogger, parseLogLevel } from './logger';
import { callNotification, messageNotification } from './notifications';
import { inviteDialog, inviteLinkFromArgv, protocolClientArgs, validateInviteLink } from './protocol-links';
import { createExternalOpener, hardenSession, hardenWebContents, isTrustedIpcSender } from './security';
import { readAutostart, startTray, writeAutostart, type AutostartDeps } from './tray';
import { UnreadCounter, nextSealingMode, trayIconPath, type TrayAction } from './tray-model';
import { windowOptions } from './window-options';

const CLOSE_TIMEOUT_MS = 5_000;

const logger = createStderrLogger(parseLogLevel(process.env.BITUNICOM_LOG_LEVEL));
const appRoot = app.getAppPath();
const dataDir = dataDirArg(process.argv, process.cwd()) ?? defaultProfileDir();
const location = rendererLocation({ appRoot, isPackaged: app.isPackaged, devUrl: process.env.ELECTRON_RENDERER_URL });
const openExternal = createExternalOpener(shell, logger);

app.setName('BitUnicom');
app.setPath('userData', dataDir);
app.setPath('sessionData', join(dataDir, 'electron'));
if (process.platform === 'win32') app.setAppUserModelId('org.bitunicom.desktop'); // needed for toasts
app.enableSandbox(); // every renderer, whatever its webPreferences say
protocol.registerSchemesAsPrivileged([DAPP_SCHEME_PRIVILEGES]); // before 'ready'

let win: BrowserWindow | null = null;
let node: BuNode | null = null;
let stopBridge: (() => void) | null = null;
let closed = false;
let closing = false;
let tray: ReturnType<typeof startTray> | null = null;
/** An invite link that arrived before the node was up (first launch, macOS open-url). */
let pendingInvite: string | null = inviteLinkFromArgv(process.argv);
const appPathArg = process.defaultApp && process.argv[1] ? resolve(process.argv[1]) : undefined;
const autostartDeps: AutostartDeps = {
  app,
  fs: {
    readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
    writeFile: (p, data) => (mkdirSync(dirname(p), { recursive: true }), writeFileSync(p, data, { mode: 0o644 })),
    remove: (p) => rmSync(p, { force: true }),
  },
  platform: process.platform,
  env: process.env,
  home: homedir(),
  execPath: process.execPath,
  extraArgs: [...(appPathArg ? [appPathArg] : []), '--data', dataDir],
};

function focusWindow(): void {
  if (!win || win.isDestroyed()) {
    if (node) win = createWindow();
    return;
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function createWindow(): BrowserWindow {
  const icon = iconPath(appRoot);
  const w = new BrowserWindow(
    windowOptions({
      preloadPath: preloadPath(appRoot),
      iconPath: existsSync(icon) ? icon : undefined,
      dark: nativeTheme.shouldUseDarkColors,
      devTools: !app.isPackaged,
    }),
  );
  w.once('ready-to-show', () => w.show());
  w.webContents.once('did-finish-load', () => {
    const link = pendingInvite;
    pendingInvite = null;
    if (link) receiveLink(link);
  });
  w.on('closed', () => {
    if (win === w) win = null;
  });
  w.webContents.on('render-process-gone', (_e, details) => logger.error('renderer process gone', { reason: details.reason }));
  const loading = location.kind === 'dev' ? w.loadURL(location.url) : w.loadFile(rendererHtmlPath(appRoot));
  loading.catch((e: unknown) => logger.error('could not load the UI', { error: String(e) }));
  return w;
}

function sendToWindow(frame: EventFrame): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, frame);
}

function sendMediaToWindow(frame: Uint8Array): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_MEDIA_CHANNEL, frame);
}

function wireNotifications(n: BuNode): void {
  const names = new Map<string, string>();
  n.events.on('contact.updated', (c) => names.set(c.address.toLowerCase(), c.name));
  n.events.on('message.added', (m) => {
    const focused = !!win && !win.isDestroyed() && win.isFocused();
    const content = messageNotification(m, names.get(m.peer.toLowerCase()) ?? null, focused);
    if (!content || !Notification.isSupported()) return;
    const note = new Notification({ title: content.title, body: content.body });
    note.on('click', focusWindow);
    note.show();
  });
  const shownCalls = new Set<string>();
  n.events.on('calls.changed', (c) => {
    const focused = !!win && !win.isDestroyed() && win.isFocused();
    const content = callNotification(c, focused);
    const key = `${c.id}:${c.state}`;
    if (!content || shownCalls.has(key) || !Notification.isSupported()) return;
    shownCalls.add(key);
    const note = new Notification({ title: content.title, body: content.body, urgency: c.state === 'incoming' ? 'critical' : 'normal' });
    note.on('click', focusWindow);
    note.show();
  });
}

async function startNode(): Promise<void> {
  const binding = electronBindingPath(appRoot, process.versions.electron);
  if (!existsSync(binding)) logger.warn('no Electron build of the database module; run: node native/rebuild-electron.mjs', { expected: binding });
  try {
    node = await createNode({
      dataDir,
      logger,
      nativeBinding: existsSync(binding) ? binding : undefined,
      version: app.getVersion(),
      resourcesDir: join(appRoot, 'resources'),
    });
  } catch (e) {
    const code = typeof e === 'object' && e !== null && isErrorCode((e as { code?: unknown }).code) ? (e as { code: string }).code : 'INTERNAL';
    logger.error('the node could not start', { code, error: e instanceof Error ? e.message : String(e) });
    dialog.showErrorBox('BitUnicom cannot start', `${errorSentence(code)}\n\nProfile: ${dataDir}`);
    closed = true;
    app.exit(1);
    return;
  }
  const hub = createEventHub(node.events, { logger });
  const stopIpc = serveIpc(ipcMain, createDispatcher(node.handlers, { logger }), hub, sendToWindow, {
    isTrustedSender: (event) => isTrustedIpcSender(event, location),
    media: { port: node.media, ipcMain, send: sendMediaToWindow },
  });
  const stopIdle = startIdleGlue(powerMonitor, node.idle);
  stopBridge = () => {
    stopIdle();
    stopIpc();
    hub.close();
  };
  wireNotifications(node);
  wireTray(node);
  wireDapps(node);
  announceRpc(node);
  // TODO(seal): feed an idle source to the core once it takes one — powerMonitor
  // 'lock-screen' / 'suspend' events plus polling powerMonitor.getSystemIdleState(threshold) —
  // so the vault auto-locks (and is sealed) when the user walks away.
}

/** Tray icon with the unread count (friends' unread, as the renderer's unreadTotal), sealing and start-at-login toggles. */
function wireTray(n: BuNode): void {
  const unread = new UnreadCounter();
  const run = (a: TrayAction): void => {
    if (a === 'open') focusWindow();
    else if (a === 'quit') app.quit();
    else if (a === 'toggle-autostart') {
      try {
        tray?.update({ autostart: writeAutostart(autostartDeps, !tray.state.autostart) });
      } catch (e) {
        logger.warn('could not change start at login', { error: String(e) });
      }
    } else if (tray?.state.sealingMode) {
      void Promise.resolve(n.handlers['sealing.setMode']({ mode: nextSealingMode(tray.state.sealingMode) })).then(
        (s) => tray?.update({ sealingMode: s.mode }),
        (e: unknown) => logger.warn('could not change the sealing mode', { error: String(e) }),
      );
    }
  };
  try {
    tray = startTray({ Tray, Menu, app }, { iconPath: trayIconPath(appRoot, process.platform), initial: { unread: 0, sealingMode: null, autostart: readAutostart(autostartDeps) }, run, onError: () => undefined });
  } catch (e) {
    logger.warn('no tray icon on this desktop', { error: String(e) });
    return;
  }
  n.events.on('contact.updated', (c) => {
    unread.update(c);
    tray?.update({ unread: unread.total });
  });
  n.events.on('node.status', (s) => tray?.update({ sealingMode: s.sealing?.mode ?? null }));
  void Promise.resolve(n.handlers['contacts.list']({})).then((list) => (unread.reset(list), tray?.update({ unread: unread.total })), () => undefined);
  void Promise.resolve(n.handlers['node.status']({})).then((s) => tray?.update({ sealingMode: s.sealing?.mode ?? null }), () => undefined);
}

/** A `bitunicom:` link from the OS: only the app's own invite form; the user confirms, then contacts.add checks the signature. */
function receiveLink(raw: string | null): void {
  const link = validateInviteLink(raw);
  if (!link) {
    if (raw) logger.warn('ignored a bitunicom: link that is not an invite', { length: raw.length });
    return;
  }
  if (!node || !win || win.isDestroyed()) {
    pendingInvite = link; // offered once the window has loaded
    if (node) focusWindow();
    return;
  }
  const n = node;
  const text = inviteDialog(link);
  if (!text) return;
  focusWindow();
  void dialog
    .showMessageBox(win, { type: 'question', message: text.message, detail: text.detail, buttons: text.buttons, defaultId: 0, cancelId: 1, noLink: true })
    .then(async ({ response }) => {
      if (response !== 0) return;
      await n.handlers['contacts.add']({ invite: link });
    })
    .catch((e: unknown) => {
      const code = typeof e === 'object' && e !== null && isErrorCode((e as { code?: unknown }).code) ? (e as { code: string }).code : 'INTERNAL';
      dialog.showErrorBox('Friend request not sent', errorSentence(code));
    });
}

/** Serve installed dapps at bu-dapp://<id>/ and forget an uninstalled dapp's storage. */
function wireDapps(n: BuNode): void {
  const ses = session.defaultSession;
  ses.protocol.handle(
    DAPP_SCHEME,
    createDappProtocolHandler({ app: location, shimFile: join(appRoot, 'resources', 'dapp-runtime', 'provider.js'), resolve: (appId, path) => n.dapps.resolve(appId, path) }),
  );
  n.setDappServer({ urlOf: (appId, entry) => ({ url: dappUrl(appId, entry), origin: dappOrigin(appId) }), originOf: dappOrigin });
  n.dapps.on('uninstalled', ({ appId }) => {
    ses.clearStorageData({ origin: dappOrigin(appId) }).catch((e: unknown) => logger.warn('could not clear an uninstalled dapp’s storage', { error: String(e) }));
  });
}

/** Print the chain's JSON-RPC URL once it runs (the same `RPC:` line the headless shell prints). */
function announceRpc(n: BuNode): void {
  let shown: string | null = null;
  const show = (url: string | null) => {
    if (!url || url === shown) return;
    shown = url;
    process.stdout.write(`RPC: ${url}\n`);
  };
  n.events.on('node.status', (s) => show(s.rpcUrl));
  void Promise.resolve(n.handlers['node.status']({})).then(
    (s) => show(s.rpcUrl),
    () => undefined,
  );
}

/** Closes the bridge and the node, never waiting longer than CLOSE_TIMEOUT_MS. */
async function shutdown(): Promise<void> {
  tray?.destroy();
  tray = null;
  stopBridge?.();
  stopBridge = null;
  const n = node;
  node = null;
  if (!n) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn('the node did not close in time; quitting anyway');
      resolve();
    }, CLOSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([n.close(), timeout]);
  } catch (e) {
    logger.error('error while closing the node', { error: e instanceof Error ? e.message : String(e) });
  } finally {
    clearTimeout(timer);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another BitUnicom window already has this profile; it gets 'second-instance' and focuses.
  closed = true;
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    focusWindow();
    receiveLink(inviteLinkFromArgv(argv)); // Windows/Linux: the OS started us again with the link
  });
  app.on('open-url', (event, url) => {
    event.preventDefault(); // macOS
    receiveLink(url);
  });
  const [scheme, exe, args] = protocolClientArgs({ defaultApp: !!process.defaultApp, execPath: process.execPath, appPathArg });
  if (!app.isDefaultProtocolClient(scheme, exe, args)) app.setAsDefaultProtocolClient(scheme, exe, args);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, location, openExternal, { isInstalled: (id) => !!node?.dapps.isInstalled(id) }));
  app.on('window-all-closed', () => {
    // with start-at-login on, closing the window leaves BitUnicom sealing in the tray
    if (process.platform !== 'darwin' && !(tray && tray.state.autostart)) app.quit();
  });
  app.on('activate', focusWindow);
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => app.quit());

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, location);
      await startNode();
      if (node && !(tray && startHidden(process.argv))) win = createWindow();
    })
    .catch((e: unknown) => {
      logger.error('startup failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      closed = true;
      app.exit(1);
    });
}
