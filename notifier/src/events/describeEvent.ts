import type { EventBody } from './eventTypes';

const short = (hex: unknown) =>
  typeof hex === 'string' && hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : String(hex);

/** A one-line title of an event for people (feed entries), and the web app page it is about. */
export function describeEvent(body: EventBody, publicUrl: string): { title: string; link: string } {
  const d = body.data as Record<string, string | undefined>;
  const proposal = `${publicUrl}/proposals/${d.proposalId}`;
  const model = `${publicUrl}/models/${d.modelId}`;
  const modelName = d.family && d.version ? `${d.family} ${d.version}` : short(d.modelId);
  switch (body.type) {
    case 'proposal.created':
      return { title: `Proposal created: ${d.title ?? short(d.proposalId)}`, link: proposal };
    case 'proposal.state-changed':
      return {
        title: `Proposal ${d.title ?? short(d.proposalId)} is ${d.state}`,
        link: proposal,
      };
    case 'vote.cast':
      return {
        title: `${short(d.voter)} voted ${d.support} on proposal ${short(d.proposalId)}`,
        link: proposal,
      };
    case 'model.approved':
    case 'model.deprecated':
    case 'model.revoked':
    case 'model.suspended':
      return { title: `${modelName} ${body.type.slice('model.'.length)}`, link: model };
    case 'result.posted':
      return { title: `Result posted for ${modelName} by ${short(d.evaluator)}`, link: model };
    case 'result.disputed':
      return { title: `Result for ${modelName} by ${short(d.evaluator)} disputed`, link: model };
    case 'event.retracted':
      return { title: `Retracted: event ${d.retracts}`, link: publicUrl };
    case 'test':
      return { title: 'Test event', link: publicUrl };
  }
}
