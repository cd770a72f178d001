/**
 * @module renderer/features/dapps/markup.test
 * Server-rendered markup (react-dom/server, no DOM needed) of the pieces whose accessibility
 * matters most: the install progress bar (role, value, the phase in words), the confirm
 * dialog's rows (monospace and warning rows, no JSON), the insufficient-funds alert, the
 * account checkboxes, and the dapp frame's sandbox attributes.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DappProgressT } from '../../../src-preload/contract';
import { ClearFrame } from './ClearFrames';
import { DAPP_SANDBOX } from './DappView';
import { ProgressBar } from './InstallControls';
import { Choices, DecodedCall, Rows } from './PendingParts';

const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const A = '0x1111111111111111111111111111111111111111';
const amount = (formatted: string) => ({ amount: '1', formatted, symbol: 'BU', decimals: 18 });

describe('dapps markup', () => {
  it('renders the progress bar with its value and phase in words', () => {
    const p: DappProgressT = { appId: APP, phase: 'downloading', receivedBytes: 1_000_000, totalBytes: 4_000_000, peers: 2, message: null };
    const html = renderToStaticMarkup(createElement(ProgressBar, { p }));
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="25"');
    expect(html).toContain('aria-valuetext="Downloading 1.0 MB of 4.0 MB"');
    expect(html).toContain('data-phase="downloading"');
    expect(html).toContain('width:25%');
    const finding = renderToStaticMarkup(createElement(ProgressBar, { p: { ...p, phase: 'finding-peers', receivedBytes: 0, totalBytes: null, peers: 0 } }));
    expect(finding).not.toContain('aria-valuenow');
    expect(finding).toContain('is-indeterminate');
  });

  it('renders rows as label/value, monospace and warnings marked', () => {
    const html = renderToStaticMarkup(createElement(Rows, { rows: [{ label: 'Message', value: 'Hello' }, { label: 'To', value: A, mono: true }, { label: 'Spender', value: 'unlimited', warn: true }] }));
    expect(html).toMatch(/<dt>Message<\/dt><dd>Hello<\/dd>/);
    expect(html).toContain(`<dd class="mono">${A}</dd>`);
    expect(html).toContain('pending-row is-warn');
  });

  it('says insufficient funds in an alert and keeps the typed call one click away when the node described it', () => {
    const call = { to: A, toName: null, functionName: 'transfer', selector: '0xa9059cbb', args: [{ name: 'to', type: 'address', value: A }], value: amount('0 BU'), maxFee: amount('0.1 BU'), sufficient: false };
    const described = renderToStaticMarkup(createElement(DecodedCall, { call, rows: [{ label: 'Function', value: 'transfer' }] }));
    expect(described).toContain('<details');
    expect(described).toContain('role="alert"');
    expect(described).toMatch(/Insufficient funds/);
    const bare = renderToStaticMarkup(createElement(DecodedCall, { call: { ...call, sufficient: true }, rows: [] }));
    expect(bare).not.toContain('<details');
    expect(bare).not.toContain('role="alert"');
    expect(bare).toContain('to (address)');
  });

  it('renders account choices as labelled checkboxes', () => {
    const html = renderToStaticMarkup(createElement(Choices, { legend: 'Accounts to connect', items: [{ address: A, name: 'Main' }], chosen: [A], onChange: () => {}, testId: 'pending-accounts' }));
    expect(html).toContain('<legend class="pending-legend">Accounts to connect</legend>');
    expect(html).toMatch(/<label[^>]*><input type="checkbox"[^>]*checked=""/);
    expect(html).toContain(`data-testid="choice-${A}"`);
  });

  it('sandboxes dapp frames without popups, top navigation or modals; the clear frame runs no script', () => {
    expect(DAPP_SANDBOX.split(' ').sort()).toEqual(['allow-forms', 'allow-same-origin', 'allow-scripts']);
    const html = renderToStaticMarkup(createElement(ClearFrame, { origin: 'http://x.localhost:1' }));
    expect(html).toContain('src="http://x.localhost:1/__bitunicom/clear"');
    expect(html).toContain('sandbox="allow-same-origin"');
    expect(html).toMatch(/referrerPolicy="no-referrer"/i);
    expect(html).toContain('hidden=""');
  });
});
