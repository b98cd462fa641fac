// k8ts stand-in for dlatqdlatq/webapl:0.1, the probe demo of the course notes:
//   /healthz  200 for the first FAIL_AFTER_SECONDS (default 40) after start, then 500
//             (so the liveness probe eventually restarts the container);
//   /ready    500 during a warm-up of READY_AFTER_SECONDS (default 20), then 200
//             (so the pod joins its Services late);
//   /         a hello with the hostname.
// Port 3000 on $POD_IP (k8ts loopback mode), else all addresses; $PORT (digits only)
// overrides the port for tests. Plain JavaScript, no dependencies.
'use strict';
const http = require('http');
const os = require('os');

function seconds(name, def) {
  const v = process.env[name];
  return v !== undefined && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : def;
}

const HOST = process.env.POD_IP || '0.0.0.0';
const PORT = /^\d+$/.test(process.env.PORT || '') ? Number(process.env.PORT) : 3000;
const FAIL_AFTER_MS = seconds('FAIL_AFTER_SECONDS', 40) * 1000;
const READY_AFTER_MS = seconds('READY_AFTER_SECONDS', 20) * 1000;
const start = Date.now();

const server = http.createServer((req, res) => {
  const url = (req.url || '/').split('?')[0];
  const age = Date.now() - start;
  const json = (code) => {
    res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end('{}');
  };
  if (req.method === 'GET' && url === '/healthz') {
    const code = age > FAIL_AFTER_MS ? 500 : 200;
    console.log('GET /healthz ' + code);
    return json(code);
  }
  if (req.method === 'GET' && url === '/ready') {
    const code = age > READY_AFTER_MS ? 200 : 500;
    console.log('GET /ready ' + code);
    return json(code);
  }
  if (req.method === 'GET' && url === '/') {
    console.log('GET /');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end('Hello from ' + os.hostname() + '\n');
  }
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`Cannot ${req.method} ${url}\n`);
});
server.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
server.listen(PORT, HOST, () => console.log(`webapl listening on ${HOST}:${PORT}`));

// PID 1 ignores an unhandled SIGTERM: exit as an unhandled SIGTERM would (128 + 15).
process.on('SIGTERM', () => process.exit(143));
process.on('SIGINT', () => process.exit(130));
