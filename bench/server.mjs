// Loopback servers for the benchmarks, in their own process so that the client's CPU time is
// measured alone. Every request gets the same small JSON body (an 80-byte balance object), with
// keep-alive on (60 s). Prints one JSON line on stdout: { http, https, admin } origins.
//
//   node bench/server.mjs [cert.pem key.pem]   (HTTPS only when a certificate is given)
//
// The admin origin answers GET /stats with the connections each server accepted so far; it has
// its own port so that asking does not count as a connection.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";

const body = JSON.stringify({ currency: "INR", balance: 1000, available_balance: 1000, id: 1 });
const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
const answer = (req, res) => {
  req.resume(); // read (and drop) any request body before answering
  req.on("end", () => {
    res.writeHead(200, headers);
    res.end(body);
  });
};

const connections = { http: 0, https: 0 };
const listen = (server) =>
  new Promise((resolve) => {
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${server.address().port}`));
  });

const http = createServer(answer);
http.on("connection", () => connections.http++);
const servers = [http];
const origins = { http: `http://${await listen(http)}` };

const [certFile, keyFile] = process.argv.slice(2);
if (certFile && keyFile) {
  const tls = createTlsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, answer);
  tls.on("connection", () => connections.https++);
  servers.push(tls);
  origins.https = `https://${await listen(tls)}`;
}

const admin = createServer((_req, res) => res.end(JSON.stringify(connections)));
servers.push(admin);
origins.admin = `http://${await listen(admin)}`;

console.log(JSON.stringify(origins));
process.on("SIGTERM", () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  process.exit(0);
});
