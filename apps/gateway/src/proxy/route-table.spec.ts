import { findRoute } from './route-table';

describe('gateway route table', () => {
  it.each([
    ['POST', '/api/tickets', 'intake'],
    ['GET', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/timeline', 'metrics'],
    ['GET', '/api/departments', 'assignment'],
    ['GET', '/api/metrics/daily', 'metrics'],
    ['GET', '/api/tickets', 'metrics'],
    ['POST', '/api/tickets/export', 'metrics'],
    ['GET', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b', 'metrics'],
    ['GET', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/caller', 'intake'],
    ['POST', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/caller/reveal', 'intake'],
    ['POST', '/api/channel/tickets', 'intake'],
    ['POST', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/supplements', 'intake'],
    ['GET', '/api/intake/tickets', 'intake'],
    ['POST', '/api/intake/repeat-candidates', 'intake'],
    ['POST', '/api/intake/refusals', 'intake'],
    ['GET', '/api/categories', 'intake'],
    ['POST', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/accept', 'assignment'],
    ['POST', '/api/tickets/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/extension-requests', 'assignment'],
    ['GET', '/api/assignment/inbox', 'assignment'],
    ['POST', '/api/admin/routing-rules/dry-run', 'assignment'],
    ['PUT', '/api/admin/departments/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b', 'assignment'],
    ['GET', '/api/knowledge', 'intake'],
    ['PUT', '/api/admin/knowledge/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b', 'intake'],
    ['POST', '/api/admin/knowledge/0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b/retire', 'intake'],
  ])('%s %s goes to %s', (method, path, upstream) => {
    expect(findRoute(method, path)?.upstream).toBe(upstream);
  });

  it('lets only the channel endpoint in by API key', () => {
    expect(findRoute('POST', '/api/channel/tickets')?.access).toBe('channel-key');
    expect(findRoute('POST', '/api/tickets')?.access).toBe('token');
  });

  it.each([
    ['GET', '/api/tickets/x/timeline/extra'],
    ['DELETE', '/api/tickets'],
    ['GET', '/api/unknown'],
  ])('%s %s is not forwarded', (method, path) => {
    expect(findRoute(method, path)).toBeUndefined();
  });
});
