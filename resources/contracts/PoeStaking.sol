// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/**
 * @title PoeStaking — the validator set of BitUnicom's POE consensus (issue 9)
 * @notice Primaries (public nodes that propose and vote) and sealers (home PCs that re-execute
 * and seal proposals) register here with native-token stake and a BLS12-381 public key
 * (48-byte compressed G1; signatures are 96-byte compressed G2, ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_). Consensus reads `validators()` at block
 * max(0, h - 4) to learn the set for height h.
 *
 * BLS signatures are checked by the chain's precompile at 0x…0B15: input
 * pubkey(48) ‖ signature(96) ‖ digest(32), output 32 bytes, 1 if valid else 0.
 *
 * Proof of possession: the precompile verifies signatures over a 32-byte digest, so the PoP
 * is a normal BLS signature (POE's signing DST, not the IETF PoP DST) over
 *   keccak256(abi.encodePacked(bytes6("BUPOP1"), registrant address, pubkey)).
 * Binding the registrant's address stops someone from registering a key they saw another
 * party's PoP for; the distinct "BUPOP1" prefix keeps PoP digests apart from consensus digests.
 *
 * Consensus digest (what every POE vote signs):
 *   keccak256(abi.encodePacked(bytes6("BUPOE1"), uint8 kind, uint64 chainId, uint64 height,
 *                              uint32 round, bytes32 data))
 * Equivocation = one key signing two different `data` for the same (kind, chainId, height,
 * round) with kind PROPOSAL (3), PREVOTE (5) or PRECOMMIT (6). Anyone can report it: the whole
 * stake is slashed (10 % to the reporter, the rest to 0x…dEaD), the offender leaves the set,
 * and the key can never be registered again. Stake in its unbonding period is still slashable.
 */
contract PoeStaking is ReentrancyGuard {
    uint8 public constant ROLE_PRIMARY = 1;
    uint8 public constant ROLE_SEALER = 2;
    uint8 private constant KIND_PROPOSAL = 3;
    uint8 private constant KIND_PREVOTE = 5;
    uint8 private constant KIND_PRECOMMIT = 6;
    address public constant BLS_VERIFY = 0x0000000000000000000000000000000000000b15;
    address public constant BURN = 0x000000000000000000000000000000000000dEaD;
    uint256 private constant PUBKEY_LEN = 48;
    uint256 private constant SIG_LEN = 96;
    uint256 private constant REPORTER_SHARE_PERCENT = 10;

    enum Status {
        None,
        Active,
        Exiting
    }

    struct Staker {
        Status status;
        uint8 role;
        uint64 exitBlock;
        address prev; // active set as a doubly linked list in registration order
        address next;
        uint256 stake;
        bytes pubkey;
    }

    uint256 private immutable minPrimaryStake;
    uint256 private immutable minSealerStake;
    uint256 private immutable unbondingBlocks;

    mapping(address => Staker) private stakers;
    /// keccak256(pubkey) → the address that registered it (kept forever: a key never moves).
    mapping(bytes32 => address) private keyOwner;
    /// keccak256(pubkey) → true once the key has been slashed.
    mapping(bytes32 => bool) private slashedKey;
    address private head;
    address private tail;
    uint256 private activeCount;

    event Registered(address indexed who, uint8 role, bytes pubkey, uint256 stake);
    event ToppedUp(address indexed who, uint256 amount, uint256 stake);
    event ExitRequested(address indexed who, uint256 stake, uint256 withdrawableAt);
    event Withdrawn(address indexed who, uint256 amount);
    event Slashed(address indexed who, address reporter, uint256 amount);

    error BadRole(uint8 role);
    error BadPubkeyLength(uint256 length);
    error BadSignatureLength(uint256 length);
    error StakeTooLow(uint256 given, uint256 minimum);
    error AlreadyRegistered(address who);
    error PubkeyTaken(address owner);
    error PubkeySlashed();
    error BadProofOfPossession();
    error NotActive(address who);
    error NotExiting(address who);
    error StillUnbonding(uint256 withdrawableAt);
    error NotEquivocationKind(uint8 kind);
    error SameData();
    error NothingToSlash(address offender);
    error BadSignature(uint8 which);
    error TransferFailed(address to, uint256 amount);
    error LengthMismatch();
    error WrongValue(uint256 given, uint256 expected);

    /**
     * @notice The initial set, in order (genesis materialisation runs this once; PoPs are not
     * checked, the genesis is trusted). `msg.value` must equal the sum of `stakes`.
     */
    constructor(
        uint256 minPrimary,
        uint256 minSealer,
        uint256 unbonding,
        address[] memory addrs,
        uint8[] memory roles,
        bytes[] memory pubkeys,
        uint256[] memory stakes
    ) payable {
        minPrimaryStake = minPrimary;
        minSealerStake = minSealer;
        unbondingBlocks = unbonding;
        uint256 n = addrs.length;
        if (roles.length != n || pubkeys.length != n || stakes.length != n) revert LengthMismatch();
        uint256 total;
        for (uint256 i = 0; i < n; i++) {
            _admit(addrs[i], roles[i], pubkeys[i], stakes[i]);
            total += stakes[i];
        }
        if (msg.value != total) revert WrongValue(msg.value, total);
    }

    /// @notice Join the set as `role` with `msg.value` stake; `pop` proves possession of the key.
    function register(uint8 role, bytes calldata blsPubkey, bytes calldata pop) external payable nonReentrant {
        if (pop.length != SIG_LEN) revert BadSignatureLength(pop.length);
        _admit(msg.sender, role, blsPubkey, msg.value);
        bytes32 digest = keccak256(abi.encodePacked(bytes6("BUPOP1"), msg.sender, blsPubkey));
        if (!_blsVerify(blsPubkey, pop, digest)) revert BadProofOfPossession();
    }

    /// @notice Add `msg.value` to an active registration.
    function topUp() external payable nonReentrant {
        Staker storage s = stakers[msg.sender];
        if (s.status != Status.Active) revert NotActive(msg.sender);
        s.stake += msg.value;
        emit ToppedUp(msg.sender, msg.value, s.stake);
    }

    /// @notice Leave the active set now; the stake can be withdrawn after `unbondingBlocks`.
    function requestExit() external nonReentrant {
        Staker storage s = stakers[msg.sender];
        if (s.status != Status.Active) revert NotActive(msg.sender);
        _unlink(msg.sender);
        s.status = Status.Exiting;
        s.exitBlock = uint64(block.number);
        emit ExitRequested(msg.sender, s.stake, block.number + unbondingBlocks);
    }

    /// @notice Pay the stake back once the unbonding period after `requestExit` has passed.
    function withdraw() external nonReentrant {
        Staker storage s = stakers[msg.sender];
        if (s.status != Status.Exiting) revert NotExiting(msg.sender);
        uint256 unlockAt = uint256(s.exitBlock) + unbondingBlocks;
        if (block.number < unlockAt) revert StillUnbonding(unlockAt);
        uint256 amount = s.stake;
        s.stake = 0;
        s.status = Status.None;
        emit Withdrawn(msg.sender, amount);
        _pay(msg.sender, amount);
    }

    /**
     * @notice Prove that `offender`'s key signed both `dataA` and `dataB` for the same
     * (kind, chainId, height, round). The offender's whole stake is slashed.
     */
    function reportEquivocation(
        address offender,
        uint8 kind,
        uint64 height,
        uint32 round,
        bytes32 dataA,
        bytes calldata sigA,
        bytes32 dataB,
        bytes calldata sigB
    ) external nonReentrant {
        if (kind != KIND_PROPOSAL && kind != KIND_PREVOTE && kind != KIND_PRECOMMIT) revert NotEquivocationKind(kind);
        if (dataA == dataB) revert SameData();
        if (sigA.length != SIG_LEN) revert BadSignatureLength(sigA.length);
        if (sigB.length != SIG_LEN) revert BadSignatureLength(sigB.length);
        Staker storage s = stakers[offender];
        if (s.status == Status.None || s.stake == 0) revert NothingToSlash(offender);
        bytes memory pk = s.pubkey;
        if (!_blsVerify(pk, sigA, _digest(kind, height, round, dataA))) revert BadSignature(0);
        if (!_blsVerify(pk, sigB, _digest(kind, height, round, dataB))) revert BadSignature(1);

        uint256 amount = s.stake;
        if (s.status == Status.Active) _unlink(offender);
        s.stake = 0;
        s.status = Status.None;
        slashedKey[keccak256(pk)] = true;
        emit Slashed(offender, msg.sender, amount);
        uint256 reward = (amount * REPORTER_SHARE_PERCENT) / 100;
        _pay(msg.sender, reward);
        _pay(BURN, amount - reward);
    }

    /// @notice The active set in registration order.
    function validators()
        external
        view
        returns (address[] memory addrs, uint8[] memory roles, bytes[] memory pubkeys, uint256[] memory stakes)
    {
        uint256 n = activeCount;
        addrs = new address[](n);
        roles = new uint8[](n);
        pubkeys = new bytes[](n);
        stakes = new uint256[](n);
        address a = head;
        for (uint256 i = 0; i < n; i++) {
            Staker storage s = stakers[a];
            addrs[i] = a;
            roles[i] = s.role;
            pubkeys[i] = s.pubkey;
            stakes[i] = s.stake;
            a = s.next;
        }
    }

    function params() external view returns (uint256, uint256, uint256) {
        return (minPrimaryStake, minSealerStake, unbondingBlocks);
    }

    /**
     * @notice One address's registration (status 0 none, 1 active, 2 exiting; `withdrawableAt`
     * is 0 unless exiting).
     */
    function staker(address who)
        external
        view
        returns (uint8 status, uint8 role, uint256 stake, bytes memory pubkey, uint256 withdrawableAt)
    {
        Staker storage s = stakers[who];
        status = uint8(s.status);
        role = s.role;
        stake = s.stake;
        pubkey = s.pubkey;
        withdrawableAt = s.status == Status.Exiting ? uint256(s.exitBlock) + unbondingBlocks : 0;
    }

    // ---- internals -------------------------------------------------------------------------

    /// Checks a new registration (role, key, stake, uniqueness) and appends it to the set.
    function _admit(address who, uint8 role, bytes memory pubkey, uint256 stake) private {
        if (role != ROLE_PRIMARY && role != ROLE_SEALER) revert BadRole(role);
        if (pubkey.length != PUBKEY_LEN) revert BadPubkeyLength(pubkey.length);
        uint256 minimum = role == ROLE_PRIMARY ? minPrimaryStake : minSealerStake;
        if (stake < minimum) revert StakeTooLow(stake, minimum);
        Staker storage s = stakers[who];
        if (s.status != Status.None) revert AlreadyRegistered(who);
        bytes32 keyHash = keccak256(pubkey);
        if (slashedKey[keyHash]) revert PubkeySlashed();
        address owner = keyOwner[keyHash];
        if (owner != address(0) && owner != who) revert PubkeyTaken(owner);
        keyOwner[keyHash] = who;
        s.status = Status.Active;
        s.role = role;
        s.exitBlock = 0;
        s.stake = stake;
        s.pubkey = pubkey;
        s.prev = tail;
        s.next = address(0);
        if (tail == address(0)) head = who;
        else stakers[tail].next = who;
        tail = who;
        activeCount += 1;
        emit Registered(who, role, pubkey, stake);
    }

    function _unlink(address who) private {
        Staker storage s = stakers[who];
        if (s.prev == address(0)) head = s.next;
        else stakers[s.prev].next = s.next;
        if (s.next == address(0)) tail = s.prev;
        else stakers[s.next].prev = s.prev;
        s.prev = address(0);
        s.next = address(0);
        activeCount -= 1;
    }

    function _digest(uint8 kind, uint64 height, uint32 round, bytes32 data) private view returns (bytes32) {
        return keccak256(abi.encodePacked(bytes6("BUPOE1"), kind, uint64(block.chainid), height, round, data));
    }

    /// The precompile's answer; an absent precompile (empty return) or any failure counts as invalid.
    function _blsVerify(bytes memory pubkey, bytes memory sig, bytes32 digest) private view returns (bool) {
        (bool ok, bytes memory out) = BLS_VERIFY.staticcall(abi.encodePacked(pubkey, sig, digest));
        return ok && out.length == 32 && abi.decode(out, (uint256)) == 1;
    }

    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
