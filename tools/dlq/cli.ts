/**
 * 死信队列工具 — list, inspect and replay a service's dead letters.
 *
 *   npm run dlq -- list    --service intake [--kind handler-failed] [--consumer c] [--topic t] [--since 2h] [--pending|--replayed] [--json]
 *   npm run dlq -- inspect --service intake 0:12 [--json]
 *   npm run dlq -- replay  --service intake (--all [filters] | 0:12 1:3 …) [--dry-run] [--json]
 *
 * KAFKA_BROKERS (default 127.0.0.1:9092) and KAFKA_NAMESPACE come from the environment.
 * Exit codes: 0 done, 1 failed (broker, unknown dead letter), 2 bad arguments.
 */
import { DeadLetterErrorKind, SERVICE_NAMES, ServiceName } from '@hotline/contracts';
import {
  DEAD_LETTER_ERROR_KINDS,
  DeadLetterEntry,
  DeadLetterFilter,
  DeadLetterQueue,
  DeadLetterToolError,
  deadLetterValue,
  parseDeadLetterId,
  ReplayReport,
  UNREPLAYABLE_KINDS,
} from '@hotline/messaging';
import { parseArgs } from 'node:util';

const USAGE = `用法 Usage:
  dlq list    --service <service> [--kind <kind>] [--consumer <name>] [--topic <origin topic>]
              [--since <ISO time | 30m | 2h | 7d>] [--pending | --replayed] [--json]
  dlq inspect --service <service> <partition:offset> [--json]
  dlq replay  --service <service> (--all [list filters] | <partition:offset> …) [--dry-run] [--json]

  services: ${SERVICE_NAMES.join(', ')}
  kinds:    ${DEAD_LETTER_ERROR_KINDS.join(', ')}
  env:      KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_NAMESPACE (default none)`;

class UsageError extends Error {}

interface Command {
  name: 'list' | 'inspect' | 'replay';
  service: ServiceName;
  filter: DeadLetterFilter;
  ids: string[];
  all: boolean;
  dryRun: boolean;
  json: boolean;
}

function parseCommand(argv: string[]): Command | 'help' {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') return 'help';
  if (name !== 'list' && name !== 'inspect' && name !== 'replay') throw new UsageError(`unknown command '${name}'`);
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (!values.service) throw new UsageError('--service is required');
  if (!(SERVICE_NAMES as readonly string[]).includes(values.service)) {
    throw new UsageError(`unknown service '${values.service}' (one of ${SERVICE_NAMES.join(', ')})`);
  }
  if (values.kind !== undefined && !(DEAD_LETTER_ERROR_KINDS as readonly string[]).includes(values.kind)) {
    throw new UsageError(`unknown kind '${values.kind}' (one of ${DEAD_LETTER_ERROR_KINDS.join(', ')})`);
  }
  if (values.pending && values.replayed) throw new UsageError('--pending and --replayed exclude each other');
  const filter: DeadLetterFilter = {
    kind: values.kind as DeadLetterErrorKind | undefined,
    consumer: values.consumer,
    originTopic: values.topic,
    since: values.since === undefined ? undefined : parseSince(values.since),
    status: values.pending ? 'pending' : values.replayed ? 'replayed' : undefined,
  };
  const hasFilter = Object.values(filter).some((v) => v !== undefined);
  for (const id of positionals) {
    try {
      parseDeadLetterId(id);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const command: Command = {
    name,
    service: values.service as ServiceName,
    filter,
    ids: positionals,
    all: values.all ?? false,
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? false,
  };
  if (name === 'list') {
    if (positionals.length) throw new UsageError(`list takes no ids (got ${positionals.join(' ')}); use inspect`);
    if (command.all || command.dryRun) throw new UsageError('--all and --dry-run are for replay');
  } else if (name === 'inspect') {
    if (positionals.length !== 1) throw new UsageError('inspect takes exactly one id, e.g. 0:12');
    if (hasFilter || command.all || command.dryRun) throw new UsageError('inspect takes only --service, an id and --json');
  } else {
    if (command.all === (positionals.length > 0)) throw new UsageError('replay takes either --all or dead-letter ids, e.g. 0:12 1:3');
    if (hasFilter && !command.all) throw new UsageError('filters go with --all; ids select exactly');
  }
  return command;
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      service: { type: 'string', short: 's' },
      kind: { type: 'string', short: 'k' },
      consumer: { type: 'string', short: 'c' },
      topic: { type: 'string', short: 't' },
      since: { type: 'string' },
      pending: { type: 'boolean' },
      replayed: { type: 'boolean' },
      all: { type: 'boolean' },
      'dry-run': { type: 'boolean', short: 'n' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** An ISO time, or a span back from now: 30m, 2h, 7d. */
function parseSince(text: string): Date {
  const span = /^(\d+)([mhd])$/.exec(text);
  if (span) return new Date(Date.now() - Number(span[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 'm' | 'h' | 'd']);
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new UsageError(`--since '${text}' is neither an ISO time nor a span like 30m, 2h, 7d`);
  return new Date(at);
}

async function run(command: Command): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  const namespace = process.env.KAFKA_NAMESPACE ?? '';
  const queue = new DeadLetterQueue({ service: command.service, brokers, namespace, clientId: 'hotline-dlq-cli' });
  try {
    if (!command.json && !(await queue.topicExists())) {
      process.stderr.write(`note: ${queue.wireTopic} does not exist (yet): no consumer of ${command.service} has started with this namespace\n`);
    }
    if (command.name === 'list') {
      const entries = await queue.list(command.filter);
      if (command.json) return print(JSON.stringify(entries, null, 2));
      print(`${queue.wireTopic}: ${entries.length} 条死信 dead letter(s)`);
      if (entries.length) print(table(entries));
    } else if (command.name === 'inspect') {
      const entry = await queue.inspect(command.ids[0]);
      print(command.json ? JSON.stringify(entry, null, 2) : describe(entry, queue.wireTopic));
    } else {
      const report = await queue.replay(command.all ? { all: true, filter: command.filter } : { ids: command.ids }, {
        dryRun: command.dryRun,
      });
      print(command.json ? JSON.stringify(report, null, 2) : summarize(report));
    }
  } finally {
    await queue.close();
  }
}

// ── output ────────────────────────────────────────────────────────────────────────────────

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function table(entries: DeadLetterEntry[]): string {
  const header = ['编号 ID', '失败时间 Failed at', '消费者 Consumer', '错误 Kind', '次数 Tries', '来源 Origin', '键 Key', '状态 Status', '原因 Error'];
  const rows = entries.map((e) => [
    e.id,
    e.letter ? localTime(e.letter.failedAt) : localTime(e.writtenAt),
    e.letter?.consumer ?? e.headers['dlq-consumer'] ?? '?',
    e.letter?.error.kind ?? e.headers['dlq-error-kind'] ?? '?',
    e.letter ? String(e.letter.attempts) : '',
    e.letter ? `${e.letter.origin.topic}/${e.letter.origin.partition}@${e.letter.origin.offset}` : '',
    clip(e.letter?.key ?? '', 38),
    e.replay
      ? '已重放 replayed'
      : !e.letter
        ? '不可读 unreadable'
        : UNREPLAYABLE_KINDS.includes(e.letter.error.kind)
          ? '不可重放 unreplayable'
          : '待处理 pending',
    clip(e.letter?.error.message ?? e.unreadable ?? '', 60),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

function describe(e: DeadLetterEntry, wireTopic: string): string {
  const out: string[] = [`死信 Dead letter ${wireTopic} ${e.id}  (written ${localTime(e.writtenAt)})`];
  const field = (label: string, value: string) => out.push(`  ${pad(label, 24)}${value}`);
  if (!e.letter) {
    field('不可读 Unreadable', visible(e.unreadable ?? ''));
    field('记录头 Record headers', JSON.stringify(e.headers));
    return out.join('\n');
  }
  const l = e.letter;
  field('消费者 Consumer', l.consumer);
  field('错误类型 Kind', l.error.kind);
  field('错误 Error', visible(l.error.message));
  for (const d of l.error.details ?? []) field('', `- ${visible(d)}`);
  field('尝试次数 Attempts', String(l.attempts));
  field('失败时间 Failed at', `${localTime(l.failedAt)} (${l.failedAt})`);
  field('来源 Origin', `${l.origin.topic} partition ${l.origin.partition} offset ${l.origin.offset}`);
  field('原始时间 Origin time', localTime(new Date(Number(l.origin.timestamp)).toISOString()));
  field('键 Key', l.key === null ? '(none)' : visible(l.key));
  field('消息头 Headers', Object.keys(l.headers).length ? JSON.stringify(l.headers) : '(none)');
  field('状态 Status', e.replay ? `已重放 replayed ${localTime(e.replay.replayedAt)} by ${e.replay.by} → ${e.replay.to.topic}/${e.replay.to.partition}@${e.replay.to.offset}` : '待处理 pending');
  const bytes = deadLetterValue(l);
  field('编码 Encoding', `${l.valueEncoding}${bytes ? `, ${bytes.length} bytes` : ''}`);
  out.push('  消息体 Value:');
  if (bytes === null) out.push('    (null)');
  else if (l.valueEncoding === 'base64') {
    out.push(`    base64: ${l.value}`);
    out.push(`    hex:    ${bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ')}`);
  } else {
    let pretty: string;
    try {
      pretty = JSON.stringify(JSON.parse(l.value as string), null, 2);
    } catch {
      pretty = `(not JSON, as a string:) ${JSON.stringify(l.value)}`;
    }
    out.push(...pretty.split('\n').map((s) => `    ${s}`));
  }
  return out.join('\n');
}

function summarize(report: ReplayReport): string {
  const out: string[] = [];
  const verb = report.dryRun ? '将重放 would replay (dry run, nothing published)' : '已重放 replayed';
  out.push(`${verb}: ${report.replayed.length}`);
  for (const r of report.replayed) {
    const where = r.to.partition === undefined ? r.to.topic : `${r.to.topic}/${r.to.partition}@${r.to.offset}`;
    out.push(`  ${pad(r.entry.id, 10)} ${pad(r.entry.letter?.error.kind ?? '', 20)} → ${where}  key=${r.entry.letter?.key ?? ''}`);
  }
  out.push(`跳过 skipped: ${report.skipped.length}`);
  for (const s of report.skipped) out.push(`  ${pad(s.entry.id, 10)} ${pad(s.reason, 20)} ${s.detail}`);
  return out.join('\n');
}

/** Shanghai wall time, what the hotline's staff read. */
function localTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** Terminal columns: CJK and full-width characters take two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd) ? 2 : 1;
  }
  return w;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/** Control characters (a NUL from a binary value quoted in an error) shown, not sent to the terminal. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(text: string, max: number): string {
  const flat = visible(text).replace(/\s+/g, ' ');
  if (width(flat) <= max) return flat;
  let out = '';
  for (const ch of flat) {
    if (width(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

async function main(argv: string[]): Promise<number> {
  let command: Command | 'help';
  try {
    command = parseCommand(argv);
  } catch (err) {
    process.stderr.write(`dlq: ${(err as Error).message}\n(dlq help shows the usage)\n`);
    return 2;
  }
  if (command === 'help') {
    print(USAGE);
    return 0;
  }
  try {
    await run(command);
    return 0;
  } catch (err) {
    const message =
      err instanceof DeadLetterToolError
        ? err.message
        : `${(err as Error).message ?? err} (Kafka at ${process.env.KAFKA_BROKERS || '127.0.0.1:9092'})`;
    process.stderr.write(`dlq: ${message}\n`);
    if (!(err instanceof DeadLetterToolError) && process.env.DLQ_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
