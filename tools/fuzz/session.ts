import { Caller, DEMO_USERS } from './endpoints';
import { send } from './http';
import { Credentials } from './mutations';

export const DEMO_PASSWORD = 'Demo@12333';

type StaffCaller = Exclude<Caller, 'public' | 'channel'>;

async function postJson(port: number, path: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const answer = await send({
    port,
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: Buffer.from(JSON.stringify(body)),
  });
  if (answer.error) throw new Error(`POST ${path}: ${answer.error}`);
  const text = answer.body?.toString('utf8') ?? '';
  return { status: answer.status ?? 0, body: text ? JSON.parse(text) : undefined };
}

/** Logs every demo user the catalogue calls as in, through the gateway. */
export async function loginDemoUsers(gatewayPort: number): Promise<Credentials['tokens']> {
  const tokens: Credentials['tokens'] = {};
  for (const [caller, username] of Object.entries(DEMO_USERS) as [StaffCaller, string][]) {
    const answer = await postJson(gatewayPort, '/api/auth/login', { username, password: DEMO_PASSWORD });
    if (answer.status !== 200) throw new Error(`login of ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    tokens[caller] = (answer.body as { accessToken: string }).accessToken;
  }
  return tokens;
}

/** A channel API key for the channel endpoint, with a rate that the fuzz never reaches. */
export async function createChannelKey(gatewayPort: number, adminToken: string): Promise<string> {
  const answer = await postJson(gatewayPort, '/api/admin/channel-keys', { name: `fuzz-${Date.now()}`, channel: 'web', ratePerMinute: 10_000 }, adminToken);
  if (answer.status !== 201) throw new Error(`creating a channel key failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { key: string }).key;
}
