/**
 * @module dapps/registry/abi
 * The ABI of resources/contracts/DappRegistry.sol (Solidity ABI spec: human-readable
 * fragments as ethers v6 parses them), its event topics, and packed-semver helpers.
 * The registry packs a version `major.minor.patch` (semver 2.0.0, no pre-release or build
 * part) as `major << 32 | minor << 16 | patch`, each part 0..65535, so integer order is
 * semver precedence. registry.test.ts checks these fragments against the compiled artifact.
 */
import { Interface } from 'ethers';
import { BuError } from '../../base';

const RELEASE = 'tuple(uint64 version, bytes32 contentHash, bytes authorKey, string manifestUri, uint64 publishedAt)';
const APP =
  'tuple(address author, string name, string category, uint64 latestVersion, uint32 versionCount, uint64 ratingSum, uint32 ratingCount, uint32 reportCount, bool delisted, uint64 createdAt)';

export const DAPP_REGISTRY_ABI = [
  'constructor(tuple(address token, address owner, address treasury, uint256 publishFee, uint256 holderMinimum) config, tuple(bytes20 appId, address author, string name, string category, ' +
    RELEASE +
    ' release)[] seeds)',
  'function publish(bytes20 appId, string name, string category, uint64 version, bytes32 contentHash, bytes authorKey, string manifestUri)',
  'function rate(bytes20 appId, uint8 stars)',
  'function report(bytes20 appId, uint8 reason)',
  'function setPublishFee(uint256 fee)',
  'function setTreasury(address newTreasury)',
  'function setHolderMinimum(uint256 minimum)',
  'function setDelisted(bytes20 appId, bool delisted)',
  `function getApp(bytes20 appId) view returns (${APP})`,
  `function getVersion(bytes20 appId, uint64 version) view returns (${RELEASE})`,
  'function versionsOf(bytes20 appId) view returns (uint64[])',
  'function ratingOf(bytes20 appId) view returns (uint64 sum, uint32 count)',
  'function ratingBy(bytes20 appId, address rater) view returns (uint8)',
  'function reportBy(bytes20 appId, address reporter) view returns (uint8)',
  'function appCount() view returns (uint256)',
  'function appIdAt(uint256 index) view returns (bytes20)',
  'function seededApps() view returns (bytes20[] ids)',
  'function token() view returns (address)',
  'function treasury() view returns (address)',
  'function publishFee() view returns (uint256)',
  'function holderMinimum() view returns (uint256)',
  'function owner() view returns (address)',
  'function pendingOwner() view returns (address)',
  'function transferOwnership(address newOwner)',
  'function acceptOwnership()',
  'function renounceOwnership()',
  'function MAX_NAME() view returns (uint256)',
  'function MAX_CATEGORY() view returns (uint256)',
  'function MAX_URI() view returns (uint256)',
  'event Published(bytes20 indexed appId, address indexed author, uint64 indexed version, bytes32 contentHash, bytes authorKey, string name, string category, string manifestUri, uint256 feePaid)',
  'event Rated(bytes20 indexed appId, address indexed rater, uint8 stars, uint8 previous)',
  'event Reported(bytes20 indexed appId, address indexed reporter, uint8 reason)',
  'event Delisted(bytes20 indexed appId, bool delisted)',
  'event PublishFeeChanged(uint256 previous, uint256 fee)',
  'event TreasuryChanged(address previous, address treasury)',
  'event HolderMinimumChanged(uint256 previous, uint256 minimum)',
  'event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner)',
  'event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)',
  'error InvalidAppId()',
  'error NotAuthor(bytes20 appId, address author)',
  'error VersionNotIncreasing(bytes20 appId, uint64 latest, uint64 version)',
  'error InvalidVersion(uint64 version)',
  'error InvalidContentHash()',
  'error InvalidAuthorKey()',
  'error InvalidName()',
  'error FieldTooLong()',
  'error UnknownApp(bytes20 appId)',
  'error AppDelisted(bytes20 appId)',
  'error NotHolder(address account, uint256 balance, uint256 minimum)',
  'error InvalidStars(uint8 stars)',
  'error InvalidReason()',
  'error AlreadyReported(bytes20 appId, address reporter)',
  'error SelfRating(bytes20 appId)',
  'error InvalidTreasury()',
  'error InvalidHolderMinimum()',
  'error UnknownVersion(bytes20 appId, uint64 version)',
  'error OwnableUnauthorizedAccount(address account)',
  'error OwnableInvalidOwner(address owner)',
  'error SafeERC20FailedOperation(address token)',
] as const;

export const registryInterface = new Interface(DAPP_REGISTRY_ABI as unknown as string[]);

/** topic0 of the events the reader follows. */
export const REGISTRY_TOPICS = {
  Published: registryInterface.getEvent('Published')!.topicHash,
  Rated: registryInterface.getEvent('Rated')!.topicHash,
  Reported: registryInterface.getEvent('Reported')!.topicHash,
  Delisted: registryInterface.getEvent('Delisted')!.topicHash,
} as const;

/** Report reason codes (any non-zero uint8 is accepted on chain; these are the ones the UI offers). */
export const REPORT_REASONS = { 1: 'malware', 2: 'scam', 3: 'illegal content', 4: 'impersonation', 5: 'broken', 255: 'other' } as const;

const PART = 0xffff;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** "1.2.3" → 1 << 32 | 2 << 16 | 3. Pre-release and build parts cannot be registered. */
export function packVersion(text: string): bigint {
  const m = SEMVER.exec(text);
  if (!m) throw new BuError('BAD_INPUT', `The version "${text}" is not major.minor.patch (semver without pre-release or build).`);
  const parts = m.slice(1, 4).map(Number);
  if (parts.some((p) => p > PART)) throw new BuError('BAD_INPUT', `Each part of the version "${text}" must be at most ${PART}.`);
  return (BigInt(parts[0]!) << 32n) | (BigInt(parts[1]!) << 16n) | BigInt(parts[2]!);
}

/** The inverse of packVersion. */
export function unpackVersion(v: bigint): string {
  if (v < 0n || v >> 48n !== 0n) throw new BuError('BAD_INPUT', `${v} is not a packed version.`);
  return `${v >> 32n}.${(v >> 16n) & 0xffffn}.${v & 0xffffn}`;
}
