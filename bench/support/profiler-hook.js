// Preloaded into a service by the benchmark (NODE_OPTIONS=--require …) when it may be profiled.
// Costs nothing until told: the first SIGWINCH starts the V8 CPU profiler in-process, the next
// writes `<label>-<pid>-<n>.cpuprofile` into BENCH_PROFILE_DIR (open it in Chrome DevTools or
// speedscope; bench/support/cpu-profile.ts summarises it). A signal-driven profile covers exactly
// the measured window, and survives the way Nest re-raises SIGTERM (which --cpu-prof does not).
// Not SIGUSR2: Nest's enableShutdownHooks() shuts the service down on it; SIGWINCH is ignored by
// default and left alone by Nest.
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
const label = process.env.BENCH_PROFILE_LABEL || 'node';

if (dir) {
  let session = null;
  let written = 0;
  process.on('SIGWINCH', () => {
    if (!session) {
      session = new inspector.Session();
      session.connect();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      return;
    }
    const current = session;
    session = null;
    current.post('Profiler.stop', (err, result) => {
      current.disconnect();
      if (err) return;
      written += 1;
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${label}-${process.pid}-${written}.cpuprofile`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}
