// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @title BitUnicom Token Poll
 * @notice The chain half of the "Token Poll" sample dapp (resources/dapps/poll): holders of
 * the BitUnicom test token create polls and vote on them, each vote weighted by the voter's
 * token balance (seed 000: "Dapps can read account state (such as user's token balance) and
 * change the state of Blockchain through blockchain abstract layer").
 * @dev One vote per address per poll, counted with the voter's balance AT THE TIME OF THE
 * VOTE. There is no snapshot: the test token has no ERC20Votes checkpoints, so tokens moved
 * to another address after voting can vote again from there. A governance-grade poll would
 * read `getPastVotes(voter, startBlock)` of an ERC20Votes token instead. A poll is open from
 * its creation until `endsAt` (a block timestamp, seconds).
 */
contract TokenPoll {
    /// @notice The token whose balances weigh the votes.
    IERC20 public immutable token;

    uint256 public constant MAX_OPTIONS = 8;
    uint256 public constant MAX_QUESTION_BYTES = 200;
    uint256 public constant MAX_OPTION_BYTES = 64;
    uint64 public constant MIN_DURATION = 60;
    uint64 public constant MAX_DURATION = 365 days;

    struct Poll {
        address creator;
        uint64 createdAt;
        uint64 endsAt;
        uint32 voters;
        string question;
        string[] options;
        uint256[] tallies;
    }

    Poll[] private polls;
    /// @dev pollId => voter => chosen option + 1 (0: has not voted)
    mapping(uint256 => mapping(address => uint8)) private choiceOf;
    /// @dev pollId => voter => the weight counted
    mapping(uint256 => mapping(address => uint256)) private weightOf;

    event PollCreated(uint256 indexed pollId, address indexed creator, string question, string[] options, uint64 endsAt);
    event Voted(uint256 indexed pollId, address indexed voter, uint8 option, uint256 weight);

    /// @notice The caller holds no tokens (creating and voting need a balance above zero).
    error NotHolder(address who);
    error UnknownPoll(uint256 pollId);
    error PollClosed(uint256 pollId, uint64 endsAt);
    error AlreadyVoted(uint256 pollId, address voter);
    error BadOption(uint256 pollId, uint8 option);
    /// @notice The question is empty or longer than MAX_QUESTION_BYTES.
    error BadQuestion();
    /// @notice Fewer than 2 or more than MAX_OPTIONS options, or one empty or too long.
    error BadOptions();
    /// @notice The duration is outside MIN_DURATION..MAX_DURATION seconds.
    error BadDuration(uint64 duration);

    constructor(IERC20 token_) {
        token = token_;
    }

    /// @notice Opens a poll for `duration` seconds; the caller must hold tokens.
    function createPoll(string calldata question, string[] calldata options, uint64 duration) external returns (uint256 pollId) {
        if (token.balanceOf(msg.sender) == 0) revert NotHolder(msg.sender);
        uint256 qLen = bytes(question).length;
        if (qLen == 0 || qLen > MAX_QUESTION_BYTES) revert BadQuestion();
        if (options.length < 2 || options.length > MAX_OPTIONS) revert BadOptions();
        for (uint256 i = 0; i < options.length; i++) {
            uint256 len = bytes(options[i]).length;
            if (len == 0 || len > MAX_OPTION_BYTES) revert BadOptions();
        }
        if (duration < MIN_DURATION || duration > MAX_DURATION) revert BadDuration(duration);
        pollId = polls.length;
        Poll storage p = polls.push();
        p.creator = msg.sender;
        p.createdAt = uint64(block.timestamp);
        p.endsAt = uint64(block.timestamp) + duration;
        p.question = question;
        for (uint256 i = 0; i < options.length; i++) {
            p.options.push(options[i]);
            p.tallies.push(0);
        }
        emit PollCreated(pollId, msg.sender, question, options, p.endsAt);
    }

    /// @notice Votes for `option` with the caller's whole current balance; once per poll.
    function vote(uint256 pollId, uint8 option) external {
        if (pollId >= polls.length) revert UnknownPoll(pollId);
        Poll storage p = polls[pollId];
        if (block.timestamp >= p.endsAt) revert PollClosed(pollId, p.endsAt);
        if (option >= p.options.length) revert BadOption(pollId, option);
        if (choiceOf[pollId][msg.sender] != 0) revert AlreadyVoted(pollId, msg.sender);
        uint256 weight = token.balanceOf(msg.sender);
        if (weight == 0) revert NotHolder(msg.sender);
        choiceOf[pollId][msg.sender] = option + 1;
        weightOf[pollId][msg.sender] = weight;
        p.tallies[option] += weight;
        p.voters += 1;
        emit Voted(pollId, msg.sender, option, weight);
    }

    function pollCount() external view returns (uint256) {
        return polls.length;
    }

    /// @notice Everything about one poll; `open` is false once `endsAt` has passed.
    function getPoll(uint256 pollId)
        external
        view
        returns (
            address creator,
            string memory question,
            string[] memory options,
            uint256[] memory tallies,
            uint64 createdAt,
            uint64 endsAt,
            uint32 voters,
            bool open
        )
    {
        if (pollId >= polls.length) revert UnknownPoll(pollId);
        Poll storage p = polls[pollId];
        return (p.creator, p.question, p.options, p.tallies, p.createdAt, p.endsAt, p.voters, block.timestamp < p.endsAt);
    }

    /// @notice A voter's choice in a poll: `voted` false if none; else the option and the weight counted.
    function voteOf(uint256 pollId, address voter) external view returns (bool voted, uint8 option, uint256 weight) {
        if (pollId >= polls.length) revert UnknownPoll(pollId);
        uint8 c = choiceOf[pollId][voter];
        if (c == 0) return (false, 0, 0);
        return (true, c - 1, weightOf[pollId][voter]);
    }
}
