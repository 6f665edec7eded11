// The client's edge: any failed answer reaches the pages as problem+json with its status.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { problemsMiddleware } from '../../src/api/client';

const call = (response: Response, request?: Request) =>
  problemsMiddleware.onResponse!({ request, response } as Parameters<
    NonNullable<typeof problemsMiddleware.onResponse>
  >[0]);

it('turns a non-JSON failure (a proxy error page) into problem+json', async () => {
  const result = (await call(
    new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
  )) as Response;
  assert.equal(result.status, 502);
  assert.equal(result.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(await result.json(), { status: 502, title: 'Bad Gateway', detail: '<html>Bad gateway</html>' });
});

it('leaves successes and problem+json answers alone', async () => {
  assert.equal(await call(new Response('{}', { status: 200 })), undefined);
  const problem = new Response('{"title":"Invalid request"}', {
    status: 400,
    headers: { 'content-type': 'application/problem+json' },
  });
  assert.equal(await call(problem), undefined);
});

it("says the API did not answer when Next's proxy fails a whole trace's pass-through request", async () => {
  const path = '/api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736/compact';
  const request = new Request(`http://dashboard.test${path}`);
  const bare = new Response('Internal Server Error', { status: 500, statusText: 'Internal Server Error' });
  const result = (await call(bare, request)) as Response;
  assert.equal(result.status, 502);
  const problem = (await result.json()) as { title: string; detail: string };
  assert.equal(problem.title, 'API unreachable');
  assert.match(problem.detail, /could not reach the Signalbox API.*HTTP 500: Internal Server Error/);
  // Any other path's bare 500 stays a 500 with its own text.
  const other = (await call(
    new Response('boom', { status: 500 }),
    new Request('http://dashboard.test/api/v1/services'),
  )) as Response;
  assert.equal(other.status, 500);
});
