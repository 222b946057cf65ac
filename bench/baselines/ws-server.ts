/**
 * The bare WebSocket baseline in its own process: a `ws` server that greets each socket and, on
 * POST /broadcast, sends the request body to every open socket, as little as a realtime server can
 * do. Sends {url} over IPC once it listens.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    if (req.url !== '/broadcast') {
      res.writeHead(404).end();
      return;
    }
    for (const ws of wss.clients) ws.send(body);
    res.end('{"result":true}');
  });
});
const wss = new WebSocketServer({ server, path: '/realtime' });
wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello', id: 0 })));
server.listen(0, '127.0.0.1', () => {
  process.send!({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
});
process.on('SIGTERM', () => process.exit(0));
