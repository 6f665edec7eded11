// The benchmark's probe target: one loopback HTTP server answering every health check with
// 200, in a process of its own so its CPU is not counted as the server's. It also watches the
// probes arrive: per instance (one path each), the gap between consecutive probes, which with a
// 10 s interval and 10% jitter should stay within about 10-11 s when the checker keeps up.
//   GET /__stats?reset=1  starts a measurement window; GET /__stats reads it.
import { createServer } from 'node:http';

let windowStart = Date.now();
let requests = 0;
const lastArrival = new Map<string, number>();
let gaps: number[] = [];

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (url.startsWith('/__stats')) {
    const now = Date.now();
    const sorted = [...gaps].sort((a, b) => a - b);
    const body = {
      seconds: (now - windowStart) / 1000,
      requests,
      instances_seen: lastArrival.size,
      gap_ms: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? 0, n: sorted.length },
    };
    if (url.includes('reset=1')) {
      windowStart = now;
      requests = 0;
      gaps = [];
      lastArrival.clear();
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
    return;
  }
  const now = Date.now();
  requests++;
  const previous = lastArrival.get(url);
  if (previous !== undefined) gaps.push(now - previous);
  lastArrival.set(url, now);
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  response.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
