// Preloaded into a service (NODE_OPTIONS=--require ...; Node 20 refuses --cpu-prof there). SIGWINCH,
// because Nest's shutdown hooks end the service on SIGUSR2.
// the first SIGWINCH starts the V8 CPU profiler, the second writes
// $CPU_PROFILE_DIR/<service>-<pid>.cpuprofile, so a profile covers exactly a bench's measured window.
const { Session } = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGWINCH', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      // run-ts.js has put the service's main.ts in argv[1] by now: services/<name>/src/main.ts.
      const name = basename(dirname(dirname(process.argv[1] || 'node')));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
