import { describe, expect, it } from 'vitest';
import { PAYLOAD_TAG, isCallPayload, isDappPayload } from './payload-tags';

describe('payload tags', () => {
  it('give every application its own first byte, none of them a chat envelope’s (0x08)', () => {
    const tags = Object.values(PAYLOAD_TAG);
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags).not.toContain(0x08);
  });

  it('sort payloads to calls and dapps, and nothing else', () => {
    expect(isDappPayload(Uint8Array.of(PAYLOAD_TAG.DAPP_BUNDLE, 1))).toBe(true);
    expect(isDappPayload(Uint8Array.of(PAYLOAD_TAG.DAPP_CHANNEL))).toBe(true);
    expect(isDappPayload(Uint8Array.of(PAYLOAD_TAG.CALL_MEDIA))).toBe(false);
    expect(isDappPayload(Uint8Array.of(0x08, 1))).toBe(false);
    expect(isDappPayload(new Uint8Array(0))).toBe(false);
    expect(isCallPayload(Uint8Array.of(PAYLOAD_TAG.DAPP_BUNDLE))).toBe(false);
    expect(isCallPayload(Uint8Array.of(PAYLOAD_TAG.CALL_SIGNAL))).toBe(true);
  });
});
