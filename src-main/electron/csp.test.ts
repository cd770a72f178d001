import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_META,
  CSP_DIRECTIVES,
  injectCspMeta,
  shouldApplyCsp,
  withCspHeader,
} from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('content security policy', () => {
  it('is exactly the intended policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-src bu-dapp:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
    );
  });

  it('has no eval, no inline script, no wildcard and no remote scheme', () => {
    for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META]) {
      expect(policy).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
      expect(policy).not.toMatch(/\*/);
      expect(policy).not.toMatch(/\b(https?|wss?|blob|filesystem):/);
      expect(directives(policy).get('script-src')).toEqual(["'self'"]);
    }
  });

  it("defaults to 'none' and locks base, forms, plugins and framing", () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'none'"]);
    for (const name of ['base-uri', 'form-action', 'frame-ancestors', 'object-src']) expect(d.get(name)).toEqual(["'none'"]);
    expect(d.size).toBe(CSP_DIRECTIVES.length);
  });

  it('drops only frame-ancestors from the meta variant (ignored in <meta>)', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    const meta = directives(CONTENT_SECURITY_POLICY_META);
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
  });
});

describe('withCspHeader', () => {
  it('replaces any existing policy regardless of header-name case and keeps other headers', () => {
    const out = withCspHeader({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html', 'X-A': ['1', '2'] });
    expect(out).toEqual({
      'Content-Type': ['text/html'],
      'X-A': ['1', '2'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('works without response headers', () => {
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('shouldApplyCsp', () => {
  it('frames nothing but dapps in their own scheme', () => {
    expect(directives(CONTENT_SECURITY_POLICY).get('frame-src')).toEqual(['bu-dapp:']);
  });

  it('applies everywhere except the dev server origin and dapp documents (they bring their own)', () => {
    expect(shouldApplyCsp('file:///app/out/renderer/electron.html', null)).toBe(true);
    expect(shouldApplyCsp(`bu-dapp://${'ab'.repeat(20)}/index.html`, null)).toBe(false);
    expect(shouldApplyCsp(`bu-dapp://${'ab'.repeat(20)}/index.html`, 'http://localhost:5173')).toBe(false);
    expect(shouldApplyCsp('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(false);
    expect(shouldApplyCsp('http://localhost:5174/', 'http://localhost:5173')).toBe(true);
    expect(shouldApplyCsp('not a url', 'http://localhost:5173')).toBe(true);
  });
});

describe('injectCspMeta', () => {
  const page = '<!doctype html>\n<html>\n  <head lang="en">\n    <script type="module" src="./assets/a.js"></script>\n  </head>\n</html>';

  it('puts the policy first in <head>, before any script', () => {
    const out = injectCspMeta(page);
    const meta = out.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(out.indexOf('<head'));
    expect(meta).toBeLessThan(out.indexOf('<script'));
    expect(out).toContain(`content="${CONTENT_SECURITY_POLICY_META}"`);
    expect(out.replace(/\n\s*<meta http-equiv[^>]*>/, '')).toBe(page);
  });

  it('escapes the attribute and refuses a document without <head>', () => {
    expect(injectCspMeta('<head></head>', `a "b" <c>`)).toContain('content="a &quot;b&quot; &lt;c&gt;"');
    expect(() => injectCspMeta('<html><body></body></html>')).toThrow(/no <head>/);
    expect(() => injectCspMeta('<header></header>')).toThrow(/no <head>/);
  });
});
