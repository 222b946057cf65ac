/**
 * The bare baselines, each a node:http server in a process of its own (argv: MODE DATA_DIR):
 *   json    answers a small JSON envelope, the floor under server.time and profile;
 *   insert  parses the form body and inserts a row in a better-sqlite3 transaction (WAL,
 *           synchronous=NORMAL), the floor under im.message.add;
 *   select  reads the 20 newest rows of one chat and answers them as JSON, the floor under the reads.
 * Sends {url} over IPC once it listens. No framework, no auth: what any server on this machine pays.
 */
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';

const [mode, dataDir] = process.argv.slice(2);

function openDb(): Database.Database {
  const db = new Database(path.join(dataDir, `baseline-${mode}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, author_id INTEGER NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  db.exec('CREATE INDEX IF NOT EXISTS messages_chat ON messages (chat_id, id)');
  return db;
}

function send(res: http.ServerResponse, result: unknown): void {
  const now = Date.now() / 1000;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ result, time: { start: now, finish: now, duration: 0 } }));
}

function handlerFor(): (body: string, res: http.ServerResponse) => void {
  if (mode === 'json') return (_body, res) => send(res, new Date().toISOString());
  const db = openDb();
  if (mode === 'insert') {
    const insert = db.prepare('INSERT INTO messages (chat_id, author_id, text, created_at) VALUES (?, ?, ?, ?)');
    const add = db.transaction((chat: number, text: string) => Number(insert.run(chat, 2, text, Date.now()).lastInsertRowid));
    return (body, res) => {
      const form = new URLSearchParams(body);
      send(res, add(Number(form.get('DIALOG_ID')?.replace(/\D/g, '') || 1), form.get('MESSAGE') ?? ''));
    };
  }
  if (mode === 'select') {
    const fill = db.prepare('INSERT INTO messages (chat_id, author_id, text, created_at) VALUES (1, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) fill.run(2 + (i % 10), `message ${i} of the seeded dialog`, Date.now());
    })();
    const latest = db.prepare('SELECT id, chat_id, author_id, text, created_at FROM messages WHERE chat_id = 1 ORDER BY id DESC LIMIT 20');
    return (_body, res) => send(res, { messages: latest.all() });
  }
  throw new Error(`unknown baseline ${mode}`);
}

const handle = handlerFor();
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => handle(body, res));
});
server.listen(0, '127.0.0.1', () => {
  process.send!({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` });
});
process.on('SIGTERM', () => process.exit(0));
