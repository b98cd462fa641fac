// k8ts stand-in for luksa/kubia ("Kubernetes in Action"): answers every request with
// "You've hit <hostname>" so you can see which pod served it. Port 8080 on $POD_IP
// (k8ts loopback mode: each pod binds its own 127.x address), else all addresses;
// $PORT (digits only) overrides the port for tests. Plain JavaScript, no dependencies.
'use strict';
const http = require('http');
const os = require('os');

const HOST = process.env.POD_IP || '0.0.0.0';
const PORT = /^\d+$/.test(process.env.PORT || '') ? Number(process.env.PORT) : 8080;

console.log('Kubia server starting...');

const server = http.createServer((req, res) => {
  console.log('Received request from ' + req.socket.remoteAddress);
  res.writeHead(200);
  res.end("You've hit " + os.hostname() + '\n');
});
server.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
server.listen(PORT, HOST);

// As PID 1 of its PID namespace a process ignores SIGTERM unless it handles it; exit the
// way an unhandled SIGTERM would elsewhere (128 + 15), so deleting a pod is prompt.
process.on('SIGTERM', () => process.exit(143));
process.on('SIGINT', () => process.exit(130));
