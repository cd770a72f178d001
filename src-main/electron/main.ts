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
 *  8. quit: the node is closed (bounded wait) before the process exits, also on SIGTERM/SIGINT.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserWindow, Notification, app, dialog, ipcMain, nativeTheme, powerMonitor, protocol, session, shell } from 'electron';
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
import { createStderrLogger, parseLogLevel } from './logger';
import { callNotification, messageNotification } from './notifications';
import { createExternalOpener, hardenSession, hardenWebContents, isTrustedIpcSender } from './security';
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
  wireDapps(node);
  announceRpc(node);
  // TODO(seal): feed an idle source to the core once it takes one — powerMonitor
  // 'lock-screen' / 'suspend' events plus polling powerMonitor.getSystemIdleState(threshold) —
  // so the vault auto-locks (and is sealed) when the user walks away.
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
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, location, openExternal, { isInstalled: (id) => !!node?.dapps.isInstalled(id) }));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
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
      if (node) win = createWindow();
    })
    .catch((e: unknown) => {
      logger.error('startup failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      closed = true;
      app.exit(1);
    });
}
