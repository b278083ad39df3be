import { createServer, Server } from 'http';
import { AddressInfo } from 'net';

/**
 * A stand-in for WeChat's code2session endpoint (which tests cannot reach), served over real HTTP.
 * `js_code` decides the answer: `ok:<openid>` → success; `invalid` → errcode 40029;
 * `freq` → 45011; `busy` → -1. Every request is recorded for assertions.
 */
export async function startFakeWechat(): Promise<{ base: string; requests: URL[]; close: () => Promise<void> }> {
  const requests: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url);
    const code = url.searchParams.get('js_code') ?? '';
    let body: object;
    if (url.pathname !== '/sns/jscode2session') body = { errcode: 404, errmsg: 'not found' };
    else if (code.startsWith('ok:')) body = { openid: code.slice(3), session_key: 'SESSION-KEY-SECRET', unionid: undefined };
    else if (code === 'invalid') body = { errcode: 40029, errmsg: 'invalid code' };
    else if (code === 'freq') body = { errcode: 45011, errmsg: 'api minute-quota reach limit' };
    else if (code === 'busy') body = { errcode: -1, errmsg: 'system error' };
    else body = { errcode: 40163, errmsg: 'code been used' };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
