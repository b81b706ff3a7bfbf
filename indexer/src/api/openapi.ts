// The OpenAPI 3.1 description of the API in API.md, served at /openapi.json. A test checks that every
// route of the app appears here.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const uint = { type: 'string', pattern: '^[0-9]+$', description: 'uint256 in decimal' };
const hex = { type: 'string', pattern: '^0x[0-9a-f]*$' };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const array = (items: object) => ({ type: 'array', items });
const object = (properties: Record<string, object>, optional: string[] = []) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});
const pageOf = (item: string) => object({ items: array(ref(item)), nextCursor: nullable(str) });
import {
  comparators,
  delegateInterests,
  disputeStatuses,
  maxInterests,
  maxStatementLength,
  minInterests,
  policyFailureReasons,
  postedResultStatuses,
  proposalKinds,
  proposalStates,
  registeredModelStatuses,
  standings,
  voteSupports,
} from '@charter/contracts/protocol';

import {
  approvalChecks,
  approvalWindowStates,
  bondChanges,
  changeKinds,
  disputeResolutions,
  suspensionEnds,
  timelineEvents,
} from '../client/vocabulary';
import { delegateSortNames } from './queries/delegates';
import { proposalSortNames } from './queries/listProposals';
import { voteSortNames } from './queries/listVotes';

const enumOf = (...values: readonly string[]) => ({ type: 'string', enum: values });

const states = enumOf(...proposalStates);
const kinds = enumOf(...proposalKinds);
const resultStatus = enumOf(...postedResultStatuses);
const modelStatus = enumOf(...registeredModelStatuses);
const support = enumOf(...voteSupports);
const comparator = enumOf(...comparators);
const standing = {
  ...enumOf(...standings),
  description:
    "Whether it counts now, by the registry's rule: struck, disputed, underbonded, in-window, counts (the first that applies)",
};
const countsFrom = {
  ...int,
  description:
    'Unix seconds: the end of its challenge window (submittedAt + the challenge period now)',
};

const param = (name: string, where: 'query' | 'path', schema: object, description?: string) => ({
  name,
  in: where,
  required: where === 'path',
  schema,
  ...(description ? { description } : {}),
});
const paging = [
  param('limit', 'query', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
  param('cursor', 'query', str, 'nextCursor of the previous page'),
];
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});
const errors = {
  400: error('Bad parameter: malformed, repeated, array-valued, or with control characters'),
  404: error('Not found'),
  405: {
    ...error('Another method than GET, HEAD or OPTIONS (POST too where a route takes it)'),
    headers: { Allow: { schema: str, description: 'GET, HEAD, OPTIONS (and POST where taken)' } },
  },
  414: error('URL longer than 8 KiB'),
  431: error('Headers longer than 32 KiB (or request line and headers over 256 KiB)'),
};
const indexedHeaders = {
  'X-Indexed-Block': { schema: int, description: 'The indexed block the answer was read at' },
  'X-Indexed-Timestamp': { schema: int, description: "That block's timestamp" },
};
/**
 * A GET route. Data routes (`indexed`) answer from one snapshot at an indexed block, named in headers
 * and, for object answers, in the body's `indexedBlock` and `indexedTimestamp`.
 */
const get = (summary: string, schema: object, parameters: object[] = [], indexed = true) => {
  const body =
    indexed && !('type' in schema && schema.type === 'array')
      ? { allOf: [schema, ref('IndexedAt')] }
      : schema;
  return {
    get: {
      summary,
      parameters,
      responses: {
        200: {
          description: 'OK',
          content: { 'application/json': { schema: body } },
          ...(indexed ? { headers: indexedHeaders } : {}),
        },
        ...errors,
      },
    },
  };
};

const summaryProperties = {
  id: uint,
  proposer: hex,
  title: str,
  state: states,
  kinds: array(kinds),
  createdAt: int,
  voteStart: int,
  voteEnd: int,
  extended: bool,
  eta: nullable(int),
  forVotes: uint,
  againstVotes: uint,
  abstainVotes: uint,
  quorum: uint,
  quorumVotes: { ...uint, description: 'for + abstain: the votes that count toward quorum' },
  quorumReached: { ...bool, description: "The governor's verdict: quorumVotes >= quorum" },
  quorumShortfall: { ...uint, description: 'Votes still missing for quorum; 0 once reached' },
  voteCount: int,
};
const modelProperties = {
  id: hex,
  familyId: hex,
  family: str,
  version: str,
  uri: str,
  parentId: nullable(hex),
  registrant: hex,
  registeredAt: int,
  maintainer: { ...nullable(hex), description: "The family's maintainer now" },
  status: modelStatus,
  approvedUnder: {
    ...nullable(object({ policyId: hex, policyVersion: int })),
    description:
      'The approval in force: while approved, and while suspended (the approval it holds)',
  },
  suspension: {
    ...nullable(
      object({
        since: int,
        until: { ...int, description: 'From then on anyone may end it (endLapsedSuspension)' },
        reason: str,
        lapsed: { ...bool, description: '`until` has passed at the indexed block' },
      }),
    ),
    description: 'Set while the status is suspended',
  },
};
const voteProperties = {
  voter: hex,
  support,
  weight: uint,
  reason: str,
  params: hex,
  block: int,
  tx: hex,
  at: int,
};
const delegateProperties = {
  address: hex,
  votingPower: uint,
  delegators: int,
  votesCast: int,
  statement: {
    ...nullable(ref('Statement')),
    description: "The delegate's newest signed statement; null if it never published one",
  },
};
const interests = {
  type: 'array',
  items: enumOf(...delegateInterests),
  minItems: minInterests,
  maxItems: maxInterests,
  uniqueItems: true,
};
const statementProperties = {
  statement: { ...str, maxLength: maxStatementLength, description: 'Markdown (untrusted)' },
  interests,
  issuedAt: { ...int, description: 'Unix seconds, as signed' },
  version: { ...int, description: "1 for the delegate's first statement, counting up" },
};
const statementVersionProperties = {
  ...statementProperties,
  signature: { ...hex, description: 'The EIP-712 signature of the Statement' },
  receivedAt: { ...int, description: "Unix seconds, the indexer's clock when it stored it" },
};
const evaluatorProperties = {
  address: hex,
  name: str,
  admitted: bool,
  admittedAt: int,
  removedAt: nullable(int),
  resultCount: int,
  stake: object({
    bonded: {
      ...uint,
      description: 'The active bond, wei: results count only while it is >= minBond',
    },
    unbonding: uint,
    unbondingReadyAt: nullable(int),
    meetsMinBond: bool,
    openDisputes: int,
    slashed: uint,
  }),
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Charter indexer API',
    version: '1.0.0',
    description:
      'Chain events of a Charter deployment, indexed. uint256 values are decimal strings; addresses and ' +
      'hashes lowercase hex; times unix seconds; metric values and thresholds fixed-point with 18 decimals.',
  },
  paths: {
    '/health': get('Liveness', object({ ok: bool }), [], false),
    '/ready': get(
      'Whether the backfill is done and the sync alive (503 until then, and once it has failed)',
      ref('Readiness'),
      [],
      false,
    ),
    '/openapi.json': get('This document', { type: 'object' }, [], false),
    '/stream': {
      get: {
        summary:
          'Server-Sent Events: after each commit, a `change` event per change (a Change as data), ' +
          'then one `block` event (an IndexedBlock as data) naming the block now indexed, also ' +
          'when nothing changed',
        responses: {
          200: {
            description: 'An event stream',
            content: {
              'text/event-stream': { schema: { oneOf: [ref('Change'), ref('IndexedBlock')] } },
            },
          },
          405: errors[405],
        },
      },
    },
    '/governance': get('Governor, token and timelock parameters', ref('Governance')),
    '/proposals': get('Proposals', pageOf('ProposalSummary'), [
      ...paging,
      param('state', 'query', str, 'one or more states, comma-separated'),
      param('proposer', 'query', hex),
      param('kind', 'query', kinds),
      param('q', 'query', str, 'text in the title or description'),
      param('sort', 'query', enumOf(...proposalSortNames)),
    ]),
    '/proposals/{id}': get('A proposal with actions, timeline and evidence', ref('Proposal'), [
      param('id', 'path', str, 'uint256, decimal or 0x-hex'),
    ]),
    '/proposals/{id}/votes': get('Votes on a proposal', pageOf('Vote'), [
      param('id', 'path', str),
      ...paging,
      param('support', 'query', support),
      param('sort', 'query', enumOf(...voteSortNames)),
    ]),
    '/delegates': get('Delegates', pageOf('Delegate'), [
      ...paging,
      param('sort', 'query', enumOf(...delegateSortNames)),
      param('q', 'query', str, 'part of the address'),
    ]),
    '/delegates/{address}': get('A delegate and its delegators', ref('DelegateDetail'), [
      param('address', 'path', hex),
    ]),
    '/delegates/{address}/statements': {
      ...get("Every version of an address's statement, newest first", pageOf('StatementVersion'), [
        param('address', 'path', hex),
        ...paging,
      ]),
      post: {
        summary:
          "Publishes a statement the address signed (EIP-712: domain { name: 'Charter delegate " +
          "statements', version: '1', chainId, verifyingContract: the governor }, type Statement " +
          '{ address delegate, string statement, string[] interests, uint64 issuedAt }). Stored as ' +
          "the delegate's next version; off-chain data, never rolled back by a reorg. Only a " +
          'stakeholder (tokens, voting power or delegators at the indexed block) publishes, at most ' +
          'one version per statementIntervalSeconds (60 s by default); only the newest ' +
          'maxStatementVersions (100) are kept, the oldest deleted',
        parameters: [param('address', 'path', hex)],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: object({
                statement: statementProperties.statement,
                interests,
                issuedAt: {
                  ...int,
                  description:
                    "Unix seconds; after the newest stored, at most 5 minutes ahead of the indexer's clock",
                },
                signature: hex,
              }),
            },
          },
        },
        responses: {
          201: {
            description: 'Stored',
            content: {
              'application/json': {
                schema: object({ delegate: hex, ...statementVersionProperties }),
              },
            },
          },
          400: error('A field is missing or wrong (`parameter` names it), or the body is not JSON'),
          401: error("wrong_signer: the signature is not the address's over this statement"),
          403: error(
            'not_a_stakeholder: the address holds no tokens and no voting power at the indexed block',
          ),
          405: errors[405],
          409: error(
            'duplicate: this signature was stored before; stale: not issued after the newest stored statement',
          ),
          413: error('payload_too_large: a body over 64 KiB'),
          429: {
            ...error('rate_limited: this address stored a version less than the interval ago'),
            headers: {
              'Retry-After': {
                description: 'Seconds until the next version is accepted',
                schema: int,
              },
            },
          },
        },
      },
    },
    '/accounts/{address}': get('Any address (zeros when never seen)', ref('Account'), [
      param('address', 'path', hex),
    ]),
    '/models': get('Model versions', pageOf('Model'), [
      ...paging,
      param('family', 'query', str),
      param('status', 'query', modelStatus),
      param('q', 'query', str),
    ]),
    '/models/{id}': get('A model version with its history and results', ref('ModelDetail'), [
      param('id', 'path', hex, 'the artifact digest'),
    ]),
    '/families': get('Model families', array(ref('Family'))),
    '/policies': get('Policies', array(ref('PolicySummary'))),
    '/policies/{id}': get('A policy with every version', ref('Policy'), [param('id', 'path', hex)]),
    '/suites': get('Benchmark suites', array(ref('Suite'))),
    '/evaluators': get('Evaluators with their stake', array(ref('Evaluator'))),
    '/evaluators/{address}': get(
      'An evaluator with its bond history, the disputes upheld and open against it, and its credit',
      ref('EvaluatorDetail'),
      [param('address', 'path', hex)],
    ),
    '/results': get('Evaluation results', pageOf('Result'), [
      ...paging,
      param('model', 'query', hex),
      param('suite', 'query', hex),
      param('evaluator', 'query', hex),
      param('status', 'query', resultStatus),
    ]),
    '/results/{id}': get('A result', ref('Result'), [
      param('id', 'path', str, 'resultId:reportDigest'),
    ]),
    '/disputes': get('Disputes, newest first', pageOf('Dispute'), [
      ...paging,
      param('status', 'query', enumOf(...disputeStatuses)),
      param('evaluator', 'query', hex, 'whose result is disputed'),
      param('disputer', 'query', hex),
      param('model', 'query', hex),
      param(
        'result',
        'query',
        str,
        'resultId:reportDigest (that version), or a registry result id (every version of the slot)',
      ),
    ]),
    '/disputes/{id}': get('A dispute', ref('Dispute'), [
      param('id', 'path', int, "the registry's dispute id, from 1"),
    ]),
  },
  components: {
    schemas: {
      Error: object(
        {
          error: enumOf(
            'bad_request',
            'not_found',
            'method_not_allowed',
            'uri_too_long',
            'headers_too_large',
            'not_ready',
            'internal',
            'wrong_signer',
            'duplicate',
            'stale',
            'payload_too_large',
          ),
          parameter: str,
          message: str,
        },
        ['parameter'],
      ),
      Readiness: object(
        { ready: bool, head: int, indexedBlock: int, failure: object({ name: str, message: str }) },
        ['failure'],
      ),
      IndexedAt: object({ indexedBlock: int, indexedTimestamp: int }),
      IndexedBlock: object({ number: int, hash: hex, timestamp: int }),
      Change: object({
        kind: enumOf(...changeKinds),
        id: str,
        block: int,
      }),
      Governance: object({
        chainId: int,
        addresses: object({
          token: hex,
          timelock: hex,
          governor: hex,
          evidenceRegistry: hex,
          policyRegistry: hex,
          modelRegistry: hex,
        }),
        name: str,
        votingDelay: int,
        votingPeriod: int,
        proposalThreshold: uint,
        quorumNumerator: uint,
        quorumDenominator: uint,
        lateQuorumVoteExtension: int,
        timelockDelay: int,
        proposalGuardian: {
          ...nullable(hex),
          description:
            "The governor's proposalGuardian() at the indexed block: none once the term ended",
        },
        appointedGuardian: { ...nullable(hex), description: 'The guardian as appointed' },
        guardianTermEnd: { ...nullable(int), description: "When the guardian's power ends" },
        approvalWindow: { ...int, description: 'Seconds before expiresAt an approval may execute' },
        maxSuspension: { ...int, description: 'Seconds: the longest a suspension lasts' },
        gameParameters: object({
          challengePeriod: { ...int, description: 'Seconds a result waits before it counts' },
          minBond: {
            ...uint,
            description: 'Wei an evaluator must have bonded for its results to count',
          },
          disputeBond: { ...uint, description: 'Wei a dispute must carry' },
          unbondingDelay: { ...int, description: 'Seconds between unbond and withdrawBond' },
          resolutionTimeout: {
            ...int,
            description:
              'Seconds after it opens from which anyone may resolve a dispute (rejected)',
          },
          disputerShareBps: {
            ...int,
            description: 'Share of a slashed stake paid to the disputer',
          },
        }),
        resolver: { ...nullable(hex), description: 'Who besides governance resolves disputes' },
        tokenName: str,
        tokenSymbol: str,
        totalSupply: uint,
        indexedBlock: int,
        indexedTimestamp: int,
      }),
      ProposalSummary: object(summaryProperties),
      Proposal: object({
        ...summaryProperties,
        description: str,
        createdBlock: int,
        createdTx: hex,
        actions: array(
          object({
            target: hex,
            targetName: nullable(str),
            value: uint,
            calldata: hex,
            signature: nullable(str),
            args: nullable(array({})),
            summary: str,
          }),
        ),
        timeline: array(
          object(
            {
              event: enumOf(...timelineEvents),
              at: int,
              block: int,
              tx: hex,
            },
            ['block', 'tx'],
          ),
        ),
        approval: nullable(ref('Approval')),
        evidence: nullable(ref('Evidence')),
      }),
      Approval: object({
        modelId: hex,
        family: nullable(str),
        version: nullable(str),
        policyId: hex,
        policyName: str,
        policyVersion: { ...int, description: 'The policy version the proposal was voted under' },
        expectedCurrent: nullable(hex),
        expectedCurrentVersion: nullable(str),
        expiresAt: int,
        opensAt: int,
        window: enumOf(...approvalWindowStates),
        familyPolicyId: nullable(hex),
        familyPolicyName: nullable(str),
        activePolicyVersion: nullable(int),
        currentModelId: nullable(hex),
        currentVersion: nullable(str),
        policyMatches: bool,
        policyVersionMatches: bool,
        currentMatches: bool,
        blockers: array(
          object(
            {
              check: enumOf(...approvalChecks),
              error: str,
              message: str,
              countsFrom: {
                ...int,
                description: 'On challenge-window: when the evidence in its window counts from',
              },
            },
            ['countsFrom'],
          ),
        ),
        canExecute: bool,
      }),
      Evidence: object({
        modelId: hex,
        policyId: hex,
        policyName: str,
        policyVersion: nullable(int),
        wouldExecuteNow: bool,
        failure: nullable(
          object(
            {
              rule: nullable(int),
              reason: enumOf(...policyFailureReasons),
              error: str,
              message: str,
              countsFrom: {
                ...int,
                description: 'On in-window: when the earliest such result counts',
              },
            },
            ['countsFrom'],
          ),
        ),
        rules: array(
          object(
            {
              index: int,
              suiteId: hex,
              suiteName: str,
              metric: str,
              comparator,
              threshold: uint,
              required: int,
              satisfied: int,
              met: bool,
              results: array(
                object({
                  evaluator: hex,
                  resultId: str,
                  value: uint,
                  submittedAt: int,
                  status: resultStatus,
                  countsFrom,
                  standing,
                  bond: { ...uint, description: "The evaluator's active bond, wei" },
                  fresh: bool,
                  passes: bool,
                  reportUri: str,
                  reportDigest: hex,
                }),
              ),
            },
            ['suiteName'],
          ),
        ),
      }),
      Vote: object(voteProperties),
      Statement: object(statementProperties),
      StatementVersion: object(statementVersionProperties),
      Delegate: object(delegateProperties),
      DelegateDetail: object({
        ...delegateProperties,
        delegatorList: array(object({ address: hex, balance: uint })),
      }),
      Account: object({
        address: hex,
        balance: uint,
        votingPower: uint,
        delegate: nullable(hex),
        delegators: int,
        credit: { ...uint, description: 'Wei the evidence registry owes it (withdrawCredit)' },
        votes: array(object({ ...voteProperties, proposalId: uint, title: str })),
      }),
      Model: object(modelProperties),
      ModelDetail: object({
        ...modelProperties,
        history: array(
          object(
            {
              status: modelStatus,
              at: int,
              tx: hex,
              policyId: hex,
              policyVersion: int,
              reason: str,
              until: int,
              suspensionEnded: enumOf(...suspensionEnds),
            },
            ['policyId', 'policyVersion', 'reason', 'until', 'suspensionEnded'],
          ),
        ),
        results: array(ref('Result')),
      }),
      Family: object({
        family: str,
        familyId: hex,
        policy: nullable(object({ id: hex, name: str, activeVersion: nullable(int) })),
        maintainer: nullable(hex),
        currentVersion: nullable(ref('Model')),
        versions: int,
      }),
      PolicySummary: object({ id: hex, name: str, currentVersion: int, versions: int }),
      Policy: object({
        id: hex,
        name: str,
        versions: array(
          object({
            version: int,
            rules: array(
              object({
                suiteId: hex,
                metric: str,
                comparator,
                threshold: uint,
              }),
            ),
            minEvaluators: int,
            maxEvidenceAge: int,
            uri: str,
            setAt: int,
            tx: hex,
          }),
        ),
      }),
      Suite: object({
        id: hex,
        datasetDigest: hex,
        metrics: array(str),
        uri: str,
        registeredAt: int,
      }),
      Evaluator: object(evaluatorProperties),
      EvaluatorDetail: object({
        ...evaluatorProperties,
        bondHistory: array(
          object({
            change: enumOf(...bondChanges),
            amount: uint,
            bonded: uint,
            unbonding: uint,
            unbondingReadyAt: nullable(int),
            disputeId: nullable(int),
            at: int,
            block: int,
            tx: hex,
          }),
        ),
        upheldDisputes: array(ref('Dispute')),
        openDisputeList: array(ref('Dispute')),
        credit: { ...uint, description: 'Wei the registry owes it (withdrawCredit)' },
      }),
      Dispute: object({
        id: int,
        result: { ...str, description: 'resultId:reportDigest' },
        resultId: hex,
        reportDigest: hex,
        modelId: hex,
        suiteId: hex,
        evaluator: hex,
        disputer: hex,
        bond: uint,
        sample: {
          ...object({ id: str, label: uint, prediction: uint, score: uint }),
          description: 'The leaf as the evaluator committed it',
        },
        claim: {
          ...object({ prediction: uint, score: uint, reportDigest: hex, uri: str }),
          description: "The disputer's outcome for the sample, and its report",
        },
        openedAt: int,
        lapsesAt: { ...int, description: 'From then on anyone may resolve it (rejected)' },
        lapsable: { ...bool, description: 'Open with lapsesAt passed at the indexed block' },
        status: enumOf(...disputeStatuses),
        resolution: nullable(enumOf(...disputeResolutions)),
        resolvedAt: nullable(int),
        payout: nullable(
          object({ slashed: uint, toDisputer: uint, toEvaluator: uint, toTreasury: uint }),
        ),
        block: int,
        tx: hex,
        resolvedTx: nullable(hex),
      }),
      Result: object({
        id: str,
        modelId: hex,
        suiteId: hex,
        evaluator: hex,
        metrics: { type: 'object', additionalProperties: uint },
        reportDigest: hex,
        samplesRoot: hex,
        uri: str,
        submittedAt: int,
        status: resultStatus,
        superseded: bool,
        countsFrom,
        standing,
        bond: { ...uint, description: "The evaluator's active bond now, wei" },
        disputes: array(ref('Dispute')),
      }),
    },
  },
};
