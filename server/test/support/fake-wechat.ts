import { createServer, IncomingMessage, Server } from 'http';
import { AddressInfo } from 'net';

/** One subscribe message the fake accepted (errcode 0), as WeChat would show it to the user. */
export interface FakeSubscribeSend {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  at: number;
}

export interface FakeWechat {
  base: string;
  /** Every request, in order. */
  requests: URL[];
  /** Subscribe messages accepted (delivered to the user). */
  sends: FakeSubscribeSend[];
  /** Every subscribe/send request with the errcode answered (delivered or not). */
  sendAttempts: Array<{ touser: string; errcode: number }>;
  /** Access tokens issued by `/cgi-bin/token`. */
  tokensIssued: string[];
  /** Milliseconds a subscribe/send waits before answering (after it was received and counted). */
  delayMs: number;
  /** The next send with the current token answers 40001 (token invalid), as after a token refresh elsewhere. */
  invalidateToken: () => void;
  /** Stops listening and drops every open connection: callers get connection refused, as with WeChat unreachable. */
  down: () => Promise<void>;
  /** Listens again on the same port. */
  up: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A stand-in for WeChat's server API (which tests cannot reach), served over real HTTP on 127.0.0.1.
 * - `GET /sns/jscode2session`: `js_code` decides the answer: `ok:<openid>` → success; `invalid` → errcode 40029;
 *   `freq` → 45011; `busy` → -1.
 * - `GET /cgi-bin/token?grant_type=client_credential`: a fresh access token, `expires_in` 7200.
 * - `POST /cgi-bin/message/subscribe/send?access_token=…`: a token other than the latest → 40001; openid starting
 *   `refused` → 43101 (user refused / grant used up); `busy` → -1 (system busy); otherwise accepted (errcode 0).
 * Every request is recorded for assertions.
 */
export async function startFakeWechat(): Promise<FakeWechat> {
  const requests: URL[] = [];
  const sends: FakeSubscribeSend[] = [];
  const sendAttempts: FakeWechat['sendAttempts'] = [];
  const tokensIssued: string[] = [];
  let revoked = new Set<string>();
  const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  const handler = async (req: IncomingMessage, res: import('http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url);
    let body: object;
    if (url.pathname === '/sns/jscode2session') {
      const code = url.searchParams.get('js_code') ?? '';
      if (code.startsWith('ok:')) body = { openid: code.slice(3), session_key: 'SESSION-KEY-SECRET', unionid: undefined };
      else if (code === 'invalid') body = { errcode: 40029, errmsg: 'invalid code' };
      else if (code === 'freq') body = { errcode: 45011, errmsg: 'api minute-quota reach limit' };
      else if (code === 'busy') body = { errcode: -1, errmsg: 'system error' };
      else body = { errcode: 40163, errmsg: 'code been used' };
    } else if (url.pathname === '/cgi-bin/token') {
      const token = `TOKEN-${tokensIssued.length + 1}-${Math.random().toString(36).slice(2, 8)}`;
      tokensIssued.push(token);
      body = { access_token: token, expires_in: 7200 };
    } else if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      const msg = JSON.parse(await readBody(req)) as Omit<FakeSubscribeSend, 'at'>;
      const token = url.searchParams.get('access_token') ?? '';
      let errcode = 0;
      if (!tokensIssued.includes(token) || revoked.has(token)) errcode = 40001;
      else if (msg.touser.startsWith('refused')) errcode = 43101;
      else if (msg.touser.startsWith('busy')) errcode = -1;
      sendAttempts.push({ touser: msg.touser, errcode });
      if (errcode === 0) sends.push({ ...msg, at: Date.now() });
      body = { errcode, errmsg: errcode ? 'refused by fake' : 'ok' };
      if (fake.delayMs) await new Promise((r) => setTimeout(r, fake.delayMs));
    } else body = { errcode: 404, errmsg: 'not found' };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const listen = (s: Server, port: number) => new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  let server: Server = createServer((req, res) => void handler(req, res));
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const stop = () => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  const fake: FakeWechat = {
    base: `http://127.0.0.1:${port}`, requests, sends, sendAttempts, tokensIssued, delayMs: 0,
    invalidateToken: () => { revoked = new Set(tokensIssued); },
    down: stop,
    up: async () => {
      server = createServer((req, res) => void handler(req, res));
      await listen(server, port);
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
  return fake;
}
