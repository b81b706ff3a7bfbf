import { encodeFunctionData, parseSignature, type Hex } from 'viem';

import { governorAbi, tokenAbi, type RelayerChain } from '../chain/createChain';
import type { SignedBallot } from './types';

/** The call that carries a ballot: the governor's `castVoteWithReasonAndParamsBySig` or the token's `delegateBySig`. */
export function encodeBallot(chain: RelayerChain, ballot: SignedBallot): { to: Hex; data: Hex } {
  if (ballot.kind === 'vote') {
    return {
      to: chain.governor,
      data: encodeFunctionData({
        abi: governorAbi,
        functionName: 'castVoteWithReasonAndParamsBySig',
        args: [
          ballot.proposalId,
          ballot.support,
          ballot.voter,
          ballot.reason,
          ballot.params,
          ballot.signature,
        ],
      }),
    };
  }
  const { r, s, v, yParity } = parseSignature(ballot.signature);
  return {
    to: chain.token,
    data: encodeFunctionData({
      abi: tokenAbi,
      functionName: 'delegateBySig',
      args: [
        ballot.delegatee,
        ballot.nonce,
        ballot.expiry,
        Number(v ?? BigInt(yParity + 27)),
        r,
        s,
      ],
    }),
  };
}
