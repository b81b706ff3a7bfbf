import type { modelRegistryAbi } from '@charter/contracts';
import { modelStatusAfter, type RegisteredModelStatus } from '@charter/contracts/protocol';
import type { Hex } from 'viem';

import { families, modelEvents, models } from '../../database/schema';
import type { Store } from '../../database/store';
import type { ChainEvent } from '../decodeLogs';
import { zeroHash, type Handlers } from './context';

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
    });
    if (!(await store.find(families, { id: familyId }))) {
      store.set(families, { id: familyId, name: family, currentModelId: null });
    }
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
      },
    );
    recordStatus(store, event, modelId, modelStatusAfter.ModelApproved, {
      policyId,
      policyVersion: version,
    });
  },

  async ModelDeprecated({ modelId }, { store, event }) {
    await store.update(models, { id: modelId }, { status: modelStatusAfter.ModelDeprecated });
    recordStatus(store, event, modelId, modelStatusAfter.ModelDeprecated);
  },

  async ModelRevoked({ modelId, reason }, { store, event }) {
    await store.update(models, { id: modelId }, { status: modelStatusAfter.ModelRevoked });
    recordStatus(store, event, modelId, modelStatusAfter.ModelRevoked, { reason });
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
};

function recordStatus(
  store: Store,
  event: ChainEvent,
  modelId: Hex,
  status: RegisteredModelStatus,
  extra: { policyId?: Hex; policyVersion?: number; reason?: string } = {},
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
  });
}
