import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without types
import { checkLayers } from '../../.config/check-layers.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fakeRepo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bu-layers-'));
  for (const [p, src] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), src);
  }
  return root;
}

describe('layering check', () => {
  it('passes on this repository', () => {
    expect(checkLayers(repo)).toEqual([]);
  });

  it('catches electron in core, upward imports, same-level imports and deep imports', () => {
    const root = fakeRepo({
      // (built from parts so repository-wide greps for electron imports do not match this fixture)
      'src-main/core/base/index.ts': `import { app } from '${'elec' + 'tron'}';\n`,
      'src-main/core/crypto/index.ts': "import { x } from '../session';\n",
      'src-main/core/store/index.ts': "import { y } from '../account';\n",
      'src-main/core/chat/a.ts': "import { z } from '../session/handshake';\n",
      'src-main/core/chat/b.ts': "import { ok } from '../session';\nimport { c } from '../../../src-preload/contract';\n",
      'src-main/core/net/c.ts': "import { w } from '../../daemon/cli';\n",
    });
    const problems: string[] = checkLayers(root);
    expect(problems.some((p) => p.includes('base/index.ts') && p.includes('never import electron'))).toBe(true);
    expect(problems.some((p) => p.includes('crypto/index.ts') && p.includes('may not depend on'))).toBe(true);
    expect(problems.some((p) => p.includes('store/index.ts') && p.includes('may not depend on'))).toBe(true);
    expect(problems.some((p) => p.includes('chat/a.ts') && p.includes('through its index.ts'))).toBe(true);
    expect(problems.some((p) => p.includes('net/c.ts') && p.includes('outside itself'))).toBe(true);
    expect(problems.some((p) => p.includes('chat/b.ts'))).toBe(false);
  });
});
