import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../src-preload/contract';
import { errorCode, errorText, toUiError } from './errors';

describe('toUiError', () => {
  it('keeps the code of a BridgeError and shows the contract sentence', () => {
    const e = toUiError(new BridgeError('WRONG_PASSWORD', 'wrong password'));
    expect(e.code).toBe('WRONG_PASSWORD');
    expect(errorText(e)).toBe('That password is not correct.');
  });

  it('recovers the code from an Electron IPC message without properties', () => {
    const raw = new Error("Error invoking remote method 'bitunicom:invoke': BuError: BAD_MNEMONIC: checksum");
    expect(errorCode(raw)).toBe('BAD_MNEMONIC');
  });

  it('adds a short detail only for codes where it helps', () => {
    expect(errorText({ code: 'BAD_INPUT', message: 'password: use at least 8 characters' })).toBe(
      'Some of the information entered is not valid. Password: use at least 8 characters.',
    );
    expect(errorText({ code: 'INTERNAL', message: 'sqlite exploded' })).toBe('Something went wrong inside the node.');
  });

  it('never shows JSON or stacks', () => {
    const text = errorText({ code: 'BAD_INPUT', message: '{"issues":[{"path":["x"]}]}' });
    expect(text).toBe('Some of the information entered is not valid.');
    const stack = errorText({ code: 'NETWORK', message: 'boom\n    at foo (bar.js:1:1)' });
    expect(stack).toBe('The network is not available right now.');
  });

  it('maps unknown shapes to INTERNAL', () => {
    expect(errorCode(42)).toBe('INTERNAL');
    expect(errorCode({ code: 'ECONNREFUSED', message: 'x' })).toBe('INTERNAL');
  });
});
