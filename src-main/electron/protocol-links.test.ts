import { describe, expect, it } from 'vitest';
import { createInvite } from '../core/chat';
import { addressOf, generatePrivateKey, publicKeyOf } from '../core/crypto';
import { MAX_INVITE_LINK_LENGTH, inviteDialog, inviteLinkFromArgv, inviteSummary, protocolClientArgs, validateInviteLink } from './protocol-links';

function invite(name = 'Alice'): { link: string; address: string } {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  const address = addressOf(publicKey);
  return { link: createInvite({ privateKey, publicKey, address, name, endpoints: [{ host: '192.0.2.7', port: 7001 }] }), address };
}

describe('bitunicom: invite links from the OS', () => {
  it('accepts the links the app makes, also with an upper-case scheme or a trailing slash', () => {
    const { link } = invite();
    expect(validateInviteLink(link)).toBe(link);
    expect(validateInviteLink(`BITUNICOM${link.slice('bitunicom'.length)}`)).toBe(link);
    expect(validateInviteLink(`${link}/`)).toBe(link);
  });

  it('refuses anything else', () => {
    const { link } = invite();
    const [payload, sig] = link.slice('bitunicom://invite/'.length).split('.');
    for (const bad of [
      undefined,
      42,
      '',
      'bitunicom://invite/',
      'bitunicom://evil/' + link.slice('bitunicom://invite/'.length),
      'bitunicom:invite/' + payload + '.' + sig,
      'https://invite/' + payload + '.' + sig,
      link + '?x=1',
      link + '#frag',
      link.replace('.', '..'),
      `bitunicom://invite/${payload}`,
      `bitunicom://invite/${payload}.${sig}.${sig}`,
      `bitunicom://invite/${payload}%2e${sig}`,
      `bitunicom://invite/${payload} .${sig}`,
      `bitunicom://invite/${payload}.${sig}\n--inspect`,
      `bitunicom://invite/${payload}.${sig!.slice(0, 40)}`,
      `bitunicom://invite/${'A'.repeat(MAX_INVITE_LINK_LENGTH)}.${sig}`,
    ]) {
      expect(validateInviteLink(bad), String(bad)).toBeNull();
    }
  });

  it('finds the link among argv (flags and the app path around it)', () => {
    const { link } = invite();
    expect(inviteLinkFromArgv(['/opt/BitUnicom/bitunicom', '--allow-file-access-from-files', link])).toBe(link);
    expect(inviteLinkFromArgv(['electron', '.', '--data', '/tmp/a', 'bitunicom://nope', link])).toBe(link);
    expect(inviteLinkFromArgv(['electron', '.', '--data', '/tmp/a'])).toBeNull();
    expect(inviteLinkFromArgv(['bitunicom://invite/xx.yy'])).toBeNull();
  });

  it('registers the Electron binary plus the app path when unpackaged, the app itself when packaged', () => {
    expect(protocolClientArgs({ defaultApp: true, execPath: '/e/electron', appPathArg: '/work/app' })).toEqual(['bitunicom', '/e/electron', ['/work/app']]);
    expect(protocolClientArgs({ defaultApp: false, execPath: '/opt/BitUnicom/bitunicom', appPathArg: undefined })).toEqual(['bitunicom']);
  });

  it('summarises the invite for the confirmation dialog, without control or format characters', () => {
    const { link, address } = invite('Bob\u202e\u0007 ');
    expect(inviteSummary(link)).toEqual({ name: 'Bob', address });
    const d = inviteDialog(link)!;
    expect(d.message).toBe('Send a friend request to Bob?');
    expect(d.detail).toContain(address);
    expect(d.buttons).toEqual(['Send request', 'Cancel']);
    const anon = invite('');
    expect(inviteDialog(anon.link)!.message).toBe(`Send a friend request to ${anon.address.slice(0, 6)}…${anon.address.slice(-4)}?`);
    expect(inviteSummary('bitunicom://invite/AAAAAAAAAAAAAAAAAAAAAA.' + 'A'.repeat(87))).toBeNull();
  });
});
