import { sql } from 'drizzle-orm';

import type { Database } from '../../database/openDatabase';
import { queryRows } from '../../database/queryRows';
import { disputes, evaluators, governance, models, policies } from '../../database/schema';
import type { Names } from './describeAction';

/**
 * The names an action's words need (the models, policies and evaluators its arguments name, the
 * disputes `disputeIds` lists, and the token's symbol), in one query: a proposal page is read far more
 * often than it changes.
 */
export async function actionNames(
  db: Database,
  args: unknown[][],
  disputeIds: string[] = [],
): Promise<Names> {
  const hashes = new Set<string>();
  const addresses = new Set<string>();
  for (const value of args.flat()) {
    if (typeof value !== 'string') continue;
    if (/^0x[0-9a-f]{64}$/.test(value)) hashes.add(value);
    if (/^0x[0-9a-f]{40}$/.test(value)) addresses.add(value);
  }
  const list = (values: Set<string>) =>
    values.size
      ? sql.join(
          [...values].map((value) => sql`${value}`),
          sql`, `,
        )
      : sql`null`;
  const ids = disputeIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  const disputeList = ids.length
    ? sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )
    : sql`null`;
  const rows = await queryRows<{
    kind: string;
    id: string;
    a: string;
    b: string | null;
    c: string | null;
  }>(
    db,
    sql`select 'model' as kind, ${models.id} as id, ${models.family} as a, ${models.version} as b,
          null as c
          from ${models} where ${models.id} in (${list(hashes)})
        union all
        select 'policy', ${policies.id}, ${policies.name}, ${policies.currentVersion}::text, null
          from ${policies} where ${policies.id} in (${list(hashes)})
        union all
        select 'evaluator', ${evaluators.address}, ${evaluators.name}, null, null
          from ${evaluators} where ${evaluators.address} in (${list(addresses)})
        union all
        select 'dispute', ${disputes.id}::text, coalesce(${evaluators.name}, ${disputes.evaluator}),
          coalesce(${models.family} || ' ' || ${models.version}, ${disputes.modelId}), ${disputes.sampleId}
          from ${disputes}
          left join ${evaluators} on ${evaluators.address} = ${disputes.evaluator}
          left join ${models} on ${models.id} = ${disputes.modelId}
          where ${disputes.id} in (${disputeList})
        union all
        select 'symbol', '', ${governance.tokenSymbol}, null, null from ${governance}`,
  );
  const names: Names = {
    models: new Map(),
    policies: new Map(),
    evaluators: new Map(),
    disputes: new Map(),
    tokenSymbol: '',
  };
  for (const row of rows) {
    if (row.kind === 'model') names.models.set(row.id, { family: row.a, version: row.b! });
    if (row.kind === 'policy') {
      names.policies.set(row.id, { name: row.a, currentVersion: Number(row.b) });
    }
    if (row.kind === 'evaluator') names.evaluators.set(row.id, row.a);
    if (row.kind === 'dispute') {
      names.disputes!.set(row.id, { evaluator: row.a, model: row.b!, sampleId: row.c! });
    }
    if (row.kind === 'symbol') names.tokenSymbol = row.a;
  }
  return names;
}
