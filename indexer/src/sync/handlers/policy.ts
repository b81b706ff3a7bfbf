import type { policyRegistryAbi } from '@charter/contracts';
import { bytes32ToText, comparators } from '@charter/contracts/protocol';

import { policies, policyRules, policyVersions } from '../../database/schema';
import type { Handlers } from './context';

export const policyHandlers: Handlers<typeof policyRegistryAbi> = {
  async PolicySet(args, { store, event }) {
    const { policyId, rules, minEvaluators, maxEvidenceAge, uri } = args;
    const version = Number(args.version);
    store.set(policies, { id: policyId, name: bytes32ToText(policyId), currentVersion: version });
    store.set(policyVersions, {
      policyId,
      version,
      minEvaluators,
      maxEvidenceAge: Number(maxEvidenceAge),
      uri,
      setAt: event.at,
      block: event.block,
      tx: event.tx,
    });
    rules.forEach((rule, index) =>
      store.set(policyRules, {
        policyId,
        version,
        index,
        suiteId: rule.suiteId,
        metricId: rule.metricId,
        metric: bytes32ToText(rule.metricId),
        comparator: comparators[rule.comparator]!,
        threshold: rule.threshold,
      }),
    );
  },
};
