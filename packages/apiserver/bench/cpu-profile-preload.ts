// Loaded into the apiserver with NODE_OPTIONS=--import (Node 20 refuses --cpu-prof there): profiles the whole process
// through the inspector and writes apiserver-<pid>.cpuprofile into $K8TS_BENCH_PROF_DIR when it exits.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env['K8TS_BENCH_PROF_DIR'];
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  // A same-thread inspector session answers synchronously, so this works inside an 'exit' handler.
  process.once('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `apiserver-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
