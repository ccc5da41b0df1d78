/**
 * Scale-out, checked by a run: a second process of assignment (its own PORT, same consumer
 * groups) joins while the stack runs. The group's partitions are shared between the two members;
 * the same load as the single-replica latency run gives the same results (every ticket assigned
 * once, to the same department for its district); nothing is applied twice (inbox rows equal
 * distinct events; one ticket_assignment and one ticket.assigned outbox row per ticket).
 */
import { AssignerProtocol } from 'kafkajs';
import type { BenchContext, Figure, PhaseRecord, Scenario, ScenarioOutcome } from '../support/context';
import { latencyRun } from './pipeline';
import { round, sleep } from '../support/stats';
import { waitDrained } from '../support/flow';
import { topicEnds } from '../support/kafka-read';

const SERVICE = 'assignment' as const;
const REPLICA = 'assignment#2';
const GROUP = 'assignment';

interface Member {
  memberId: string;
  clientHost: string;
  partitions: Record<string, number[]>;
}

async function membersOf(ctx: BenchContext, group: string): Promise<Member[]> {
  const [described] = (await ctx.stack.admin.describeGroups([ctx.stack.wire(group)])).groups;
  return (described?.members ?? []).map((m) => {
    const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    const partitions: Record<string, number[]> = {};
    for (const [topic, ps] of Object.entries(assignment?.assignment ?? {})) partitions[topic.replace(ctx.stack.namespace, '')] = [...ps].sort((a, b) => a - b);
    return { memberId: m.memberId, clientHost: m.clientHost, partitions };
  });
}

/** Events of a consumer per replica and outcome, from each process's own Prometheus counter. */
async function consumedBy(port: number, consumer: string, outcome: 'applied' | 'duplicate'): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('hotline_events_consumed_total') && line.includes(`consumer="${consumer}"`) && line.includes(`outcome="${outcome}"`)) {
      sum += Number(line.split(' ').pop());
    }
  }
  return sum;
}

async function inboxCheck(ctx: BenchContext, since: Date): Promise<Record<string, number>> {
  const { rows } = await ctx.stack.pool.query(
    `SELECT
       (SELECT count(*)::int FROM assignment.processed_event WHERE consumer = 'assignment' AND processed_at >= $1) AS inbox_rows,
       (SELECT count(DISTINCT event_id)::int FROM assignment.processed_event WHERE consumer = 'assignment' AND processed_at >= $1) AS distinct_events,
       (SELECT count(*)::int FROM assignment.ticket_assignment WHERE received_at >= $1) AS assignments,
       (SELECT count(*)::int FROM assignment.outbox_message WHERE event_type = 'ticket.assigned' AND created_at >= $1) AS assigned_outbox_rows,
       (SELECT count(DISTINCT message_key)::int FROM assignment.outbox_message WHERE event_type = 'ticket.assigned' AND created_at >= $1) AS assigned_tickets,
       (SELECT count(*)::int FROM intake.ticket WHERE received_at >= $1) AS tickets_received`,
    [since],
  );
  return rows[0] as Record<string, number>;
}

export const replicas: Scenario = {
  name: 'replicas',
  title: 'scale-out: two replicas of assignment share the partitions',
  async run(ctx): Promise<ScenarioOutcome> {
    const phases: PhaseRecord[] = [];
    const rate = 500;
    const duration = ctx.pick(30_000, 12_000);
    await waitDrained(ctx, 60_000);

    const single = ctx.shared.pipelineLatency ?? (await (async () => {
      ctx.log('  (no single-replica run yet: running it first)');
      const since = new Date();
      const r = await latencyRun(ctx, 'replicas: one assignment, 500 tickets/s', rate, duration);
      phases.push(r.record);
      ctx.log(`  single replica inbox check: ${JSON.stringify(await inboxCheck(ctx, since))}`);
      return r.latency;
    })());
    const singleMembers = await membersOf(ctx, GROUP);

    ctx.log(`  starting ${REPLICA} on its own port`);
    const second = await ctx.stack.start(SERVICE, REPLICA);
    // Ready means joined; wait for the rebalance to settle with two members holding partitions.
    let members: Member[] = [];
    for (let i = 0; i < 60; i++) {
      members = await membersOf(ctx, GROUP);
      if (members.length === 2 && members.every((m) => Object.values(m.partitions).some((p) => p.length))) break;
      await sleep(1_000);
    }
    ctx.log(`  group ${GROUP}: ${members.map((m) => `${m.memberId.slice(0, 28)}… ${JSON.stringify(m.partitions)}`).join(' | ')}`);

    const firstPort = ctx.stack.running.get(SERVICE)?.port as number;
    const counters = async () => ({
      applied: { a: await consumedBy(firstPort, GROUP, 'applied'), b: await consumedBy(second.port, GROUP, 'applied') },
      duplicate: { a: await consumedBy(firstPort, GROUP, 'duplicate'), b: await consumedBy(second.port, GROUP, 'duplicate') },
    });
    const dlq = () => topicEnds(ctx.stack.admin, [ctx.stack.wire('hotline.assignment.dlq.v1')]).catch(() => 0);
    const before = await counters();
    const dlqBefore = await dlq();
    const since = new Date();
    const two = await latencyRun(ctx, 'replicas: two assignment processes, 500 tickets/s', rate, duration, [SERVICE, REPLICA]);
    phases.push(two.record);
    const after = await counters();
    const perReplica = { [SERVICE]: after.applied.a - before.applied.a, [REPLICA]: after.applied.b - before.applied.b };
    const redeliveries = after.duplicate.a - before.duplicate.a + after.duplicate.b - before.duplicate.b;
    const deadLetters = (await dlq()) - dlqBefore;
    const check = await inboxCheck(ctx, since);
    ctx.log(`  applied per replica: ${JSON.stringify(perReplica)}; redeliveries recognised by the inbox: ${redeliveries}; dead letters: ${deadLetters}; ${JSON.stringify(check)}`);

    await ctx.stack.stop(REPLICA);
    const regionsCompared = Object.keys(two.latency.departmentsByRegion).filter((r) => single.departmentsByRegion[r]);
    const sameRouting = regionsCompared.every((r) => single.departmentsByRegion[r] === two.latency.departmentsByRegion[r]);
    // The inbox's key (consumer, event_id) and ticket_assignment's (ticket_id) make a double row
    // impossible; a handler run twice would show as a second ticket.assigned or a dead letter.
    const duplicates = check.assigned_outbox_rows - check.assigned_tickets + deadLetters;
    const complete = check.inbox_rows === check.tickets_received && check.assignments === check.tickets_received;
    const sharing = members.length === 2 && members.every((m) => Object.values(m.partitions).some((p) => p.length));
    const everyTicket = complete && two.latency.assigned === two.latency.tickets && two.latency.counted === two.latency.tickets;
    const figures: Figure[] = [
      {
        key: 'replicas.members',
        label: `consumer group ${GROUP}: members holding partitions with two replicas`,
        value: members.filter((m) => Object.values(m.partitions).some((p) => p.length)).length,
        unit: 'members',
        target: { op: '==', value: 2 },
        note: members.map((m) => JSON.stringify(m.partitions)).join(' / '),
      },
      {
        key: 'replicas.duplicates',
        label: 'two replicas: tickets assigned twice (extra ticket.assigned rows + dead letters)',
        value: duplicates,
        unit: 'events',
        target: { op: '==', value: 0 },
        note: `applied per replica ${JSON.stringify(perReplica)}; ${redeliveries} redeliveries recognised by the inbox; ${check.tickets_received} tickets received, ${check.inbox_rows} inbox rows, ${check.assignments} assignments, ${check.assigned_outbox_rows} ticket.assigned rows`,
      },
      {
        key: 'replicas.same-results',
        label: 'two replicas: every ticket assigned and counted, same department per district as one replica',
        value: everyTicket && sameRouting ? 1 : 0,
        unit: everyTicket && sameRouting ? '(yes)' : '(no)',
        target: { op: '==', value: 1 },
        note: `${two.latency.assigned}/${two.latency.tickets} assigned, ${two.latency.counted} counted; ${regionsCompared.length} districts compared`,
      },
      {
        key: 'replicas.assigned-p99',
        label: 'two replicas: received → assigned p99 at 500/s (one replica: see pipeline)',
        value: round(two.latency.assignedMs.p99, 0),
        unit: 'ms',
        target: { op: '<=', value: 250 },
        otherLoad: two.record.cpu.other,
        note: `one replica p99 ${round(single.assignedMs.p99, 0)} ms, two replicas ${round(two.latency.assignedMs.p99, 0)} ms (p50 ${round(single.assignedMs.p50, 0)} → ${round(two.latency.assignedMs.p50, 0)} ms)`,
      },
    ];
    return {
      figures,
      details: { singleMembers, members, sharing, perReplica, redeliveries, deadLetters, inbox: check, twoReplicas: two.latency, kafkaDuplicates: { assigned: two.latency.duplicateAssignedMessages } },
      phases,
    };
  },
};
