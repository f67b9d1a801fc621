// Loopback HTTP server for the benchmarks, in its own process so that the client's CPU time is
// measured alone. Answers every request with a small JSON body (an 80-byte balance object) and
// keeps connections alive. Prints its URL on the first line of stdout.
import { createServer } from "node:http";

const body = JSON.stringify({ currency: "INR", balance: 1000, available_balance: 1000, id: 1 });
let connections = 0;
const server = createServer((req, res) => {
  if (req.url === "/__stats") {
    res.end(JSON.stringify({ connections }));
    return;
  }
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
});
server.on("connection", () => connections++);
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
