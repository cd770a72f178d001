/**
 * @module chain/artifacts
 * Loads a compiled contract artifact from `<resources>/contracts/artifacts/<Name>.json`, as
 * `resources/contracts/build.mjs` writes it with solc-js (standard JSON output: the ABI of the
 * Solidity ABI spec, creation and runtime bytecode). Only the fields the node uses are typed;
 * the shape is checked so that a missing or damaged resource fails with one clear error
 * instead of deep inside the EVM.
 *
 * Note: `deployedBytecode` has zeros where the contract keeps immutables (OpenZeppelin's
 * EIP-712 domain cache, short strings), so code meant to run is obtained by executing
 * `bytecode` with the constructor arguments, never by placing `deployedBytecode` directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuError } from '../base';

export type ContractArtifact = {
  contractName: string;
  abi: unknown[];
  /** Creation code (0x-hex), to be followed by the ABI-encoded constructor arguments. */
  bytecode: string;
  /** Runtime code (0x-hex) with immutables zeroed. */
  deployedBytecode: string;
};

const HEX_CODE = /^0x(?:[0-9a-f]{2})+$/;

/** Read and check `<resourcesDir>/contracts/artifacts/<name>.json`. */
export function loadArtifact(resourcesDir: string, name: string): ContractArtifact {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new BuError('INTERNAL', `"${name}" is not a contract name`);
  }
  const file = join(resourcesDir, 'contracts', 'artifacts', `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BuError('INTERNAL', `The contract artifact ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BuError('INTERNAL', `The contract artifact ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const bad = (why: string): never => {
    throw new BuError('INTERNAL', `The contract artifact ${file} is malformed: ${why}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('not a JSON object');
  const a = json as Record<string, unknown>;
  if (a.contractName !== name) return bad(`contractName is ${JSON.stringify(a.contractName)}, expected "${name}"`);
  if (!Array.isArray(a.abi)) return bad('abi is not an array');
  for (const key of ['bytecode', 'deployedBytecode'] as const) {
    const v = a[key];
    if (typeof v !== 'string' || !HEX_CODE.test(v)) return bad(`${key} is not non-empty 0x-prefixed lower-case hex`);
  }
  return {
    contractName: name,
    abi: a.abi as unknown[],
    bytecode: a.bytecode as string,
    deployedBytecode: a.deployedBytecode as string,
  };
}
