import { listeningPort } from './service-process';

describe('listeningPort', () => {
  const line = '{"level":"INFO","context":"Bootstrap","msg":"procurement-service listening on http://127.0.0.1:43127 (OpenAPI: /openapi.json, docs: /docs, metrics: /metrics)"}\n';

  it("reads the port from a service's JSON log line", () => {
    expect(listeningPort(`{"msg":"starting"}\n${line}`)).toBe(43127);
  });

  it('waits for the whole number when a chunk ends inside it', () => {
    expect(listeningPort(line.slice(0, line.indexOf('43127') + 3))).toBeNull();
    expect(listeningPort(line.slice(0, line.indexOf('43127') + 5))).toBeNull();
    expect(listeningPort(line.slice(0, line.indexOf('43127') + 6))).toBe(43127);
  });

  it('is null before the service listens', () => {
    expect(listeningPort('{"msg":"Nest application starting"}\n')).toBeNull();
  });
});
