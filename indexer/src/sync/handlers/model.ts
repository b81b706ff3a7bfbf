import type { modelRegistryAbi } from '@charter/contracts';
import { modelStatusAfter, type RegisteredModelStatus } from '@charter/contracts/protocol';
import type { Hex } from 'viem';

import type { SuspensionEnd } from '../../client/vocabulary';
import { families, governance, modelEvents, models } from '../../database/schema';
import type { Store } from '../../database/store';
import type { ChainEvent } from '../decodeLogs';
import { isZeroAddress, zeroHash, type Handlers } from './context';

/** A suspension's columns on a version that is not (or no longer) suspended. */
const notSuspended = { suspendedAt: null, suspendedUntil: null, suspensionReason: null };

export const modelHandlers: Handlers<typeof modelRegistryAbi> = {
  async ModelRegistered(args, { store, event }) {
    const { modelId, familyId, family, version, uri, parentId, registrant } = args;
    store.set(models, {
      id: modelId,
      familyId,
      family,
      version,
      uri,
      parentId: parentId === zeroHash ? null : parentId,
      registrant,
      registeredAt: event.at,
      registeredBlock: event.block,
      registeredLogIndex: event.logIndex,
      registeredTx: event.tx,
      status: modelStatusAfter.ModelRegistered,
      approvedPolicyId: null,
      approvedPolicyVersion: null,
      ...notSuspended,
    });
    await familyRow(store, familyId, family);
    recordStatus(store, event, modelId, modelStatusAfter.ModelRegistered);
  },

  async ModelApproved({ modelId, policyId, policyVersion }, { store, event }) {
    const version = Number(policyVersion);
    await store.update(
      models,
      { id: modelId },
      {
        status: modelStatusAfter.ModelApproved,
        approvedPolicyId: policyId,
        approvedPolicyVersion: version,
        ...notSuspended,
      },
    );
    recordStatus(store, event, modelId, modelStatusAfter.ModelApproved, {
      policyId,
      policyVersion: version,
    });
  },

  async ModelDeprecated({ modelId }, { store, event }) {
    await store.update(
      models,
      { id: modelId },
      { status: modelStatusAfter.ModelDeprecated, ...notSuspended },
    );
    recordStatus(store, event, modelId, modelStatusAfter.ModelDeprecated);
  },

  async ModelRevoked({ modelId, reason }, { store, event }) {
    await store.update(
      models,
      { id: modelId },
      { status: modelStatusAfter.ModelRevoked, ...notSuspended },
    );
    recordStatus(store, event, modelId, modelStatusAfter.ModelRevoked, { reason });
  },

  async ModelSuspended({ modelId, until, reason }, { store, event }) {
    await store.update(
      models,
      { id: modelId },
      {
        status: modelStatusAfter.ModelSuspended,
        suspendedAt: event.at,
        suspendedUntil: Number(until),
        suspensionReason: reason,
      },
    );
    recordStatus(store, event, modelId, modelStatusAfter.ModelSuspended, {
      reason,
      suspendedUntil: Number(until),
    });
  },

  async SuspensionEnded({ modelId, lapsed }, { store, event }) {
    // Back to approved under the approval the suspension held.
    await store.update(
      models,
      { id: modelId },
      { status: modelStatusAfter.SuspensionEnded, ...notSuspended },
    );
    recordStatus(store, event, modelId, modelStatusAfter.SuspensionEnded, {
      suspensionEnded: lapsed ? 'lapsed' : 'lifted',
    });
  },

  async CurrentVersionSet({ familyId, newModelId }, { store }) {
    await store.update(
      families,
      { id: familyId },
      {
        currentModelId: newModelId === zeroHash ? null : newModelId,
      },
    );
  },

  async FamilyPolicySet({ familyId, family, newPolicyId }, { store }) {
    const row = await familyRow(store, familyId, family);
    store.set(families, { ...row, policyId: newPolicyId === zeroHash ? null : newPolicyId });
  },

  async MaintainerSet({ familyId, newMaintainer }, { store }) {
    // At a family's first registration this comes before ModelRegistered, which names the family.
    const row = await familyRow(store, familyId);
    store.set(families, {
      ...row,
      maintainer: isZeroAddress(newMaintainer) ? null : newMaintainer,
    });
  },

  async ApprovalWindowSet({ newWindow }, { store }) {
    await store.update(governance, { id: 1 }, { approvalWindow: Number(newWindow) });
  },

  async MaxSuspensionSet({ newDuration }, { store }) {
    await store.update(governance, { id: 1 }, { maxSuspension: Number(newDuration) });
  },
};

/** A family's row, created the first time an event names the family; the name filled in once known. */
async function familyRow(store: Store, id: Hex, name?: string) {
  const row = await store.find(families, { id });
  if (row && (row.name || !name)) return row;
  return store.set(families, {
    id,
    name: name ?? '',
    currentModelId: row?.currentModelId ?? null,
    policyId: row?.policyId ?? null,
    maintainer: row?.maintainer ?? null,
  });
}

function recordStatus(
  store: Store,
  event: ChainEvent,
  modelId: Hex,
  status: RegisteredModelStatus,
  extra: {
    policyId?: Hex;
    policyVersion?: number;
    reason?: string;
    suspendedUntil?: number;
    suspensionEnded?: SuspensionEnd;
  } = {},
) {
  store.set(modelEvents, {
    modelId,
    block: event.block,
    logIndex: event.logIndex,
    status,
    at: event.at,
    tx: event.tx,
    policyId: extra.policyId ?? null,
    policyVersion: extra.policyVersion ?? null,
    reason: extra.reason ?? null,
    suspendedUntil: extra.suspendedUntil ?? null,
    suspensionEnded: extra.suspensionEnded ?? null,
  });
}
