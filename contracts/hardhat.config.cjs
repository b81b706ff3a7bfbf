// Hardhat's node, the second node implementation the tests run Charter against (contracts/ts/hardhatNode.ts
// starts it). Hardhat compiles nothing here: Foundry builds the contracts.
// CHARTER_HARDHAT_DIR is a scratch folder that contracts/ts/hardhatNode.ts makes for each node.
const scratch = process.env.CHARTER_HARDHAT_DIR ?? '.hardhat';
const interval = Number(process.env.CHARTER_HARDHAT_BLOCK_INTERVAL_MS ?? 0);

module.exports = {
  paths: {
    sources: `${scratch}/sources`,
    cache: `${scratch}/cache`,
    artifacts: `${scratch}/artifacts`,
  },
  networks: {
    hardhat: {
      chainId: Number(process.env.CHARTER_HARDHAT_CHAIN_ID ?? 31337),
      mining: interval > 0 ? { auto: false, interval } : { auto: true },
    },
  },
};
