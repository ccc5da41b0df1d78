import type { EntityManager } from 'typeorm';
import { CounterIncrements, shanghaiDate } from './counter-increments';

/** Records the statements instead of running them: what is written is the unit under test here. */
function recordingManager(): { manager: EntityManager; calls: { sql: string; params: unknown[][] }[] } {
  const calls: { sql: string; params: unknown[][] }[] = [];
  const manager = { query: async (sql: string, params: unknown[][]) => void calls.push({ sql, params }) } as unknown as EntityManager;
  return { manager, calls };
}

const a = { eventId: 'e-a', ticketId: 't-1' };
const b = { eventId: 'e-b', ticketId: 't-2' };

describe('CounterIncrements', () => {
  it('sums a batch per counter and keeps each event’s own contribution', async () => {
    const counters = new CounterIncrements();
    counters.add(
      [
        { day: '2026-11-02', dimension: 'all', key: 'all', measure: 'received' },
        { day: '2026-11-02', dimension: 'region', key: '500103', measure: 'received' },
      ],
      a,
    );
    counters.add([{ day: '2026-11-02', dimension: 'all', key: 'all', measure: 'received' }], b);
    // One event moving one counter twice is one contribution of 2.
    counters.add(
      [
        { day: '2026-11-03', dimension: 'department', key: 'd1', measure: 'closed' },
        { day: '2026-11-03', dimension: 'department', key: 'd1', measure: 'closed', by: 1 },
      ],
      b,
    );
    expect(counters.size).toBe(3);

    const { manager, calls } = recordingManager();
    await counters.write(manager);
    expect(calls).toHaveLength(2);
    const [days, dimensions, keys, measures, values] = calls[0].params;
    const written = days.map((day, i) => `${day} ${dimensions[i]} ${keys[i]} ${measures[i]} ${values[i]}`);
    expect(written).toEqual([
      '2026-11-02 all all received 2',
      '2026-11-02 region 500103 received 1',
      '2026-11-03 department d1 closed 2',
    ]);
    const [events, tickets, , , cKeys, cMeasures, cValues] = calls[1].params;
    const contributions = events.map((e, i) => `${e} ${tickets[i]} ${cKeys[i]} ${cMeasures[i]} ${cValues[i]}`).sort();
    expect(contributions).toEqual([
      'e-a t-1 500103 received 1',
      'e-a t-1 all received 1',
      'e-b t-2 all received 1',
      'e-b t-2 d1 closed 2',
    ]);
  });

  it('writes nothing when nothing was added, and starts empty after a write', async () => {
    const counters = new CounterIncrements();
    const { manager, calls } = recordingManager();
    await counters.write(manager);
    expect(calls).toHaveLength(0);
    counters.add([{ day: '2026-11-02', dimension: 'all', key: 'all', measure: 'repeats' }], a);
    await counters.write(manager);
    await counters.write(manager);
    expect(calls).toHaveLength(2);
    expect(counters.size).toBe(0);
  });
});

describe('shanghaiDate', () => {
  it('is the calendar day in Asia/Shanghai', () => {
    expect(shanghaiDate('2026-11-01T16:00:00Z')).toBe('2026-11-02');
    expect(shanghaiDate('2026-11-01T15:59:59.999Z')).toBe('2026-11-01');
  });
});
