// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title BitUnicom test token
 * @notice A plain ERC-20 (18 decimals) with EIP-2612 permit, deployed by the BitUnicom devnet
 * genesis so the wallet, the dapp store and outside tools have a token to hold and move.
 * @dev The whole supply is minted once, in the constructor: `amountEach` to every holder.
 * There is no owner, no later minting, no pause and no upgrade path. The permit domain is
 * `(name_, "1", block.chainid, address(this))`.
 */
contract BitUnicomTestToken is ERC20, ERC20Permit {
    /**
     * @param name_ token name, also the EIP-712 domain name used by permit
     * @param symbol_ token symbol
     * @param holders accounts that receive the initial supply
     * @param amountEach amount (in the smallest unit, 18 decimals) minted to each holder
     */
    constructor(string memory name_, string memory symbol_, address[] memory holders, uint256 amountEach)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        for (uint256 i = 0; i < holders.length; ++i) {
            _mint(holders[i], amountEach);
        }
    }
}
