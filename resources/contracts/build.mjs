#!/usr/bin/env node
/**
 * @module resources/contracts/build
 * Compiles every `.sol` file beside this script with the installed solc-js (pinned: 0.8.37)
 * through the compiler's standard JSON interface (Solidity docs, "Using the Compiler →
 * Compiler Input and Output JSON Description"), resolving `@openzeppelin/...` and any other
 * package import from node_modules, and writes one artifact per deployable contract to
 * `artifacts/<Name>.json`.
 *
 * Reproducible by construction: the source keys are stable relative names (`Foo.sol`,
 * `@openzeppelin/contracts/...`), never absolute paths; the settings are fixed below;
 * `metadata.bytecodeHash` is "none" so the bytecode (and with it the devnet genesis state
 * root) does not change when only comments or NatSpec do; the JSON is written with a fixed
 * key order and a trailing newline. Each artifact lists the sha256 of every source it was
 * built from.
 *
 * `node build.mjs`          writes the artifacts (only those that changed) and drops stale ones.
 * `node build.mjs --check`  compiles in memory and exits 1 if any committed artifact differs.
 * Compile errors are printed and exit 1 in both modes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, 'artifacts');
const ROOT = join(HERE, '..', '..');
const SOLC_VERSION = '0.8.37';

/** The compiler settings that shape the bytecode (recorded in every artifact). */
export const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  // The BitUnicom chain runs Cancun; solc 0.8.37 defaults to a later EVM (Prague/Osaka).
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
};

const OUTPUTS = ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'metadata'];

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Our own sources: every .sol file in this folder, keyed by its file name. */
function ownSources() {
  const sources = {};
  for (const name of readdirSync(HERE).filter((n) => n.endsWith('.sol')).sort()) {
    sources[name] = { content: readFileSync(join(HERE, name), 'utf8') };
  }
  return sources;
}

/** Resolve `@scope/pkg/path.sol` or `pkg/path.sol` from node_modules; the key stays as written. */
function packageFile(importPath) {
  const parts = importPath.split('/');
  const pkgLen = importPath.startsWith('@') ? 2 : 1;
  if (parts.length <= pkgLen || parts.includes('..')) throw new Error(`not a package import: ${importPath}`);
  const pkg = parts.slice(0, pkgLen).join('/');
  const pkgDir = dirname(require.resolve(`${pkg}/package.json`));
  return join(pkgDir, ...parts.slice(pkgLen));
}

/**
 * Compile everything; returns `{ artifacts: Map<name, jsonText>, errors: string[], warnings: string[] }`.
 * Throws only on an unusable setup (wrong compiler version).
 */
export function compileAll() {
  const solc = require('solc');
  const version = solc.version();
  if (!version.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`solc ${version} is installed; the artifacts are built with ${SOLC_VERSION}. Run \`npm ci\`.`);
  }
  const sources = ownSources();
  const contents = new Map(Object.entries(sources).map(([k, v]) => [k, v.content]));
  const input = {
    language: 'Solidity',
    sources,
    settings: { ...SETTINGS, outputSelection: { '*': { '*': OUTPUTS } } },
  };
  const findImports = (path) => {
    try {
      const content = readFileSync(packageFile(path), 'utf8');
      contents.set(path, content);
      return { contents: content };
    } catch (err) {
      return { error: `cannot resolve import "${path}": ${err.message}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const diagnostics = output.errors ?? [];
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.formattedMessage ?? d.message);
  const warnings = diagnostics.filter((d) => d.severity !== 'error').map((d) => d.formattedMessage ?? d.message);
  const artifacts = new Map();
  if (errors.length > 0) return { artifacts, errors, warnings };

  for (const file of Object.keys(sources)) {
    for (const [contractName, c] of Object.entries(output.contracts?.[file] ?? {})) {
      const bytecode = c.evm.bytecode.object;
      if (!bytecode) continue; // interfaces and abstract contracts have no code
      if (artifacts.has(contractName)) {
        errors.push(`two contracts are named ${contractName}; artifact names must be unique`);
        continue;
      }
      const used = Object.keys(JSON.parse(c.metadata).sources).sort();
      const artifact = {
        contractName,
        abi: c.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
        compiler: { version, settings: SETTINGS },
        sources: Object.fromEntries(used.map((key) => [key, sha256(contents.get(key))])),
      };
      artifacts.set(contractName, `${JSON.stringify(artifact, null, 2)}\n`);
    }
  }
  return { artifacts, errors, warnings };
}

function committedArtifacts() {
  if (!existsSync(ARTIFACTS)) return [];
  return readdirSync(ARTIFACTS).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
}

function main(argv) {
  const check = argv.includes('--check');
  const started = Date.now();
  let result;
  try {
    result = compileAll();
  } catch (err) {
    console.error(`contracts: ${err.message}`);
    return 1;
  }
  for (const w of result.warnings) console.error(w);
  if (result.errors.length > 0) {
    for (const e of result.errors) console.error(e);
    console.error(`contracts: compilation failed (${result.errors.length} error(s))`);
    return 1;
  }
  const rel = (name) => relative(ROOT, join(ARTIFACTS, `${name}.json`));
  const stale = committedArtifacts().filter((n) => !result.artifacts.has(n));
  const changed = [...result.artifacts].filter(([name, text]) => {
    const file = join(ARTIFACTS, `${name}.json`);
    return !existsSync(file) || readFileSync(file, 'utf8') !== text;
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (check) {
    if (changed.length === 0 && stale.length === 0) {
      console.log(`contracts: ${result.artifacts.size} artifact(s) up to date (${seconds} s)`);
      return 0;
    }
    for (const [name] of changed) console.error(`contracts: ${rel(name)} differs from a fresh build (or is missing)`);
    for (const name of stale) console.error(`contracts: ${rel(name)} has no contract in the sources any more`);
    console.error('contracts: run `npm run contracts` and commit resources/contracts/artifacts');
    return 1;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const [name, text] of changed) {
    writeFileSync(join(ARTIFACTS, `${name}.json`), text);
    console.log(`contracts: wrote ${rel(name)}`);
  }
  for (const name of stale) {
    rmSync(join(ARTIFACTS, `${name}.json`));
    console.log(`contracts: removed ${rel(name)}`);
  }
  console.log(`contracts: ${result.artifacts.size} artifact(s), ${changed.length} changed (${seconds} s)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
