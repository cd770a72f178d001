// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/**
 * @title BitUnicom DApp registry
 * @notice The on-chain half of the BitUnicom dapp store (issue 12, seed 002 "DAPP store"):
 * authors publish versions of their dapps by content hash and pay a fee in the BitUnicom
 * token; token holders rate and report them. Listing and search are read from the events.
 * @dev An app is identified by its 20-byte application id (the P2P application id of seed
 * 000). The first address that publishes an id becomes its author; only that address can
 * publish later versions, and each version must be strictly greater than the last.
 * Versions are packed semver: `major << 32 | minor << 16 | patch` (each part 0..65535).
 * The fee goes to `treasury` (the dead address burns it). The owner (on a public network a
 * TimelockController run by an OpenZeppelin Governor of token holders; on the devnet the
 * user's wallet) sets the fee, the treasury and the holding needed to rate or report, and
 * can delist an app. Apps given to the constructor ("seeds") are published without a fee;
 * the devnet genesis uses them for its sample dapps.
 */
contract DappRegistry is Ownable2Step {
    using SafeERC20 for IERC20;

    /// @notice One published version of an app.
    struct Release {
        uint64 version;
        bytes32 contentHash;
        bytes authorKey;
        string manifestUri;
        uint64 publishedAt;
    }

    /// @notice An app: its author, its latest metadata and its aggregates.
    struct App {
        address author;
        string name;
        string category;
        uint64 latestVersion;
        uint32 versionCount;
        uint64 ratingSum;
        uint32 ratingCount;
        uint32 reportCount;
        bool delisted;
        uint64 createdAt;
    }

    /// @notice The constructor's settings (a struct: solc's legacy code generator runs out of
    /// stack decoding six arguments next to the seeds array).
    struct Config {
        /// the BitUnicom ERC-20 token
        IERC20 token;
        /// governance: sets fee, treasury and holder minimum, delists
        address owner;
        /// receiver of publish fees (the dead address burns them)
        address treasury;
        /// fee per version in token units
        uint256 publishFee;
        /// balance needed to rate or report (>= 1)
        uint256 holderMinimum;
    }

    /// @notice A genesis or deployment-time entry, published without a fee (`release.publishedAt`
    /// is ignored: it becomes the deployment block).
    struct Seed {
        bytes20 appId;
        address author;
        string name;
        string category;
        Release release;
    }

    /// @notice Longest name, category and manifest URI, in bytes.
    uint256 public constant MAX_NAME = 64;
    uint256 public constant MAX_CATEGORY = 32;
    uint256 public constant MAX_URI = 256;

    /// @notice The BitUnicom token fees are paid in and holdings are measured in.
    IERC20 public immutable token;
    /// @notice Where publish fees go.
    address public treasury;
    /// @notice Fee per published version, in token units (0: free).
    uint256 public publishFee;
    /// @notice Token balance an address needs to rate or report (at least 1).
    uint256 public holderMinimum;

    mapping(bytes20 => App) private _apps;
    mapping(bytes20 => mapping(uint64 => Release)) private _releases;
    mapping(bytes20 => uint64[]) private _versions;
    mapping(bytes20 => mapping(address => uint8)) private _ratings;
    mapping(bytes20 => mapping(address => uint8)) private _reports;
    bytes20[] private _appIds;
    uint256 private immutable _seedCount;

    /// @notice A version was published (also emitted for seeds; genesis seeds have no logs).
    event Published(
        bytes20 indexed appId,
        address indexed author,
        uint64 indexed version,
        bytes32 contentHash,
        bytes authorKey,
        string name,
        string category,
        string manifestUri,
        uint256 feePaid
    );
    /// @notice `rater` gave `stars` (1..5); `previous` is their earlier rating, 0 if none.
    event Rated(bytes20 indexed appId, address indexed rater, uint8 stars, uint8 previous);
    /// @notice `reporter` reported the app for `reason` (non-zero code, see README).
    event Reported(bytes20 indexed appId, address indexed reporter, uint8 reason);
    /// @notice The owner delisted or relisted an app.
    event Delisted(bytes20 indexed appId, bool delisted);
    event PublishFeeChanged(uint256 previous, uint256 fee);
    event TreasuryChanged(address previous, address treasury);
    event HolderMinimumChanged(uint256 previous, uint256 minimum);

    error InvalidAppId();
    error NotAuthor(bytes20 appId, address author);
    error VersionNotIncreasing(bytes20 appId, uint64 latest, uint64 version);
    error InvalidVersion(uint64 version);
    error InvalidContentHash();
    error InvalidAuthorKey();
    error InvalidName();
    error FieldTooLong();
    error UnknownApp(bytes20 appId);
    error AppDelisted(bytes20 appId);
    error NotHolder(address account, uint256 balance, uint256 minimum);
    error InvalidStars(uint8 stars);
    error InvalidReason();
    error AlreadyReported(bytes20 appId, address reporter);
    error SelfRating(bytes20 appId);
    error InvalidTreasury();
    error InvalidHolderMinimum();
    error UnknownVersion(bytes20 appId, uint64 version);

    /**
     * @param config token, owner, treasury, fee and holder minimum (see Config)
     * @param seeds apps published at deployment, without a fee
     */
    constructor(Config memory config, Seed[] memory seeds) Ownable(config.owner) {
        if (config.treasury == address(0)) revert InvalidTreasury();
        if (config.holderMinimum == 0) revert InvalidHolderMinimum();
        token = config.token;
        treasury = config.treasury;
        publishFee = config.publishFee;
        holderMinimum = config.holderMinimum;
        for (uint256 i = 0; i < seeds.length; ++i) {
            Seed memory s = seeds[i];
            if (s.author == address(0)) revert NotAuthor(s.appId, address(0));
            _publish(s.appId, s.author, s.name, s.category, s.release, 0);
        }
        _seedCount = seeds.length;
    }

    /**
     * @notice Publish a new app, or a new version of an app the caller authored. Pulls
     * `publishFee` tokens from the caller (approve this contract first).
     * @param appId the application id (non-zero)
     * @param name display name, 1..64 bytes (replaces the app's name)
     * @param category store category, up to 32 bytes (replaces the app's category)
     * @param version packed semver, strictly greater than the app's latest
     * @param contentHash the bundle's content hash (non-zero)
     * @param authorKey the compressed secp256k1 key (33 bytes) that signed the bundle
     * @param manifestUri where the manifest/bundle can be found (may be empty: fetched by hash)
     */
    function publish(
        bytes20 appId,
        string calldata name,
        string calldata category,
        uint64 version,
        bytes32 contentHash,
        bytes calldata authorKey,
        string calldata manifestUri
    ) external {
        uint256 fee = publishFee;
        _publish(appId, msg.sender, name, category, Release(version, contentHash, authorKey, manifestUri, 0), fee);
        if (fee > 0) token.safeTransferFrom(msg.sender, treasury, fee);
    }

    /**
     * @notice Rate an app 1..5 stars; a second call replaces the caller's earlier rating.
     * Needs a token balance of at least `holderMinimum`; the author cannot rate their app.
     */
    function rate(bytes20 appId, uint8 stars) external {
        App storage app = _existing(appId);
        if (stars < 1 || stars > 5) revert InvalidStars(stars);
        if (msg.sender == app.author) revert SelfRating(appId);
        _requireHolder(msg.sender);
        uint8 previous = _ratings[appId][msg.sender];
        _ratings[appId][msg.sender] = stars;
        if (previous == 0) {
            app.ratingCount += 1;
            app.ratingSum += stars;
        } else {
            app.ratingSum = app.ratingSum - previous + stars;
        }
        emit Rated(appId, msg.sender, stars, previous);
    }

    /**
     * @notice Report an app (once per address) for a non-zero reason code. Needs a token
     * balance of at least `holderMinimum`.
     */
    function report(bytes20 appId, uint8 reason) external {
        App storage app = _existing(appId);
        if (reason == 0) revert InvalidReason();
        if (_reports[appId][msg.sender] != 0) revert AlreadyReported(appId, msg.sender);
        _requireHolder(msg.sender);
        _reports[appId][msg.sender] = reason;
        app.reportCount += 1;
        emit Reported(appId, msg.sender, reason);
    }

    /// @notice Governance: set the fee per published version.
    function setPublishFee(uint256 fee) external onlyOwner {
        emit PublishFeeChanged(publishFee, fee);
        publishFee = fee;
    }

    /// @notice Governance: set where fees go.
    function setTreasury(address newTreasury) external onlyOwner {
        if (newTreasury == address(0)) revert InvalidTreasury();
        emit TreasuryChanged(treasury, newTreasury);
        treasury = newTreasury;
    }

    /// @notice Governance: set the balance needed to rate or report (>= 1).
    function setHolderMinimum(uint256 minimum) external onlyOwner {
        if (minimum == 0) revert InvalidHolderMinimum();
        emit HolderMinimumChanged(holderMinimum, minimum);
        holderMinimum = minimum;
    }

    /// @notice Governance: delist (hide, refuse new versions) or relist an app.
    function setDelisted(bytes20 appId, bool delisted) external onlyOwner {
        _existing(appId).delisted = delisted;
        emit Delisted(appId, delisted);
    }

    /// @notice The app (author zero if unknown).
    function getApp(bytes20 appId) external view returns (App memory) {
        return _apps[appId];
    }

    /// @notice One version of an app; reverts with UnknownVersion if it was never published.
    function getVersion(bytes20 appId, uint64 version) external view returns (Release memory) {
        Release memory r = _releases[appId][version];
        if (r.contentHash == bytes32(0)) revert UnknownVersion(appId, version);
        return r;
    }

    /// @notice Every published version of an app, oldest first.
    function versionsOf(bytes20 appId) external view returns (uint64[] memory) {
        return _versions[appId];
    }

    /// @notice Sum and count of an app's ratings (average = sum / count).
    function ratingOf(bytes20 appId) external view returns (uint64 sum, uint32 count) {
        App storage app = _apps[appId];
        return (app.ratingSum, app.ratingCount);
    }

    /// @notice `rater`'s rating of an app (0: none).
    function ratingBy(bytes20 appId, address rater) external view returns (uint8) {
        return _ratings[appId][rater];
    }

    /// @notice `reporter`'s report reason for an app (0: none).
    function reportBy(bytes20 appId, address reporter) external view returns (uint8) {
        return _reports[appId][reporter];
    }

    /// @notice Number of apps ever published.
    function appCount() external view returns (uint256) {
        return _appIds.length;
    }

    /// @notice The `index`-th app id in order of first publication.
    function appIdAt(uint256 index) external view returns (bytes20) {
        return _appIds[index];
    }

    /// @notice The ids given to the constructor. Their Published events exist only when the
    /// registry was deployed by a transaction; in a genesis alloc there are no logs.
    function seededApps() external view returns (bytes20[] memory ids) {
        ids = new bytes20[](_seedCount);
        for (uint256 i = 0; i < _seedCount; ++i) ids[i] = _appIds[i];
    }

    function _publish(bytes20 appId, address author, string memory name, string memory category, Release memory r, uint256 fee)
        private
    {
        if (appId == bytes20(0)) revert InvalidAppId();
        if (r.contentHash == bytes32(0)) revert InvalidContentHash();
        if (r.version == 0 || r.version >> 48 != 0) revert InvalidVersion(r.version);
        bytes memory key = r.authorKey;
        if (key.length != 33 || (key[0] != 0x02 && key[0] != 0x03)) revert InvalidAuthorKey();
        if (bytes(name).length == 0 || bytes(name).length > MAX_NAME) revert InvalidName();
        if (bytes(category).length > MAX_CATEGORY || bytes(r.manifestUri).length > MAX_URI) revert FieldTooLong();
        App storage app = _apps[appId];
        if (app.author == address(0)) {
            app.author = author;
            app.createdAt = uint64(block.number);
            _appIds.push(appId);
        } else {
            if (app.author != author) revert NotAuthor(appId, app.author);
            if (app.delisted) revert AppDelisted(appId);
            if (r.version <= app.latestVersion) revert VersionNotIncreasing(appId, app.latestVersion, r.version);
        }
        app.name = name;
        app.category = category;
        app.latestVersion = r.version;
        app.versionCount += 1;
        r.publishedAt = uint64(block.number);
        _releases[appId][r.version] = r;
        _versions[appId].push(r.version);
        emit Published(appId, author, r.version, r.contentHash, r.authorKey, name, category, r.manifestUri, fee);
    }

    function _existing(bytes20 appId) private view returns (App storage app) {
        app = _apps[appId];
        if (app.author == address(0)) revert UnknownApp(appId);
    }

    function _requireHolder(address account) private view {
        uint256 balance = token.balanceOf(account);
        if (balance < holderMinimum) revert NotHolder(account, balance, holderMinimum);
    }
}
