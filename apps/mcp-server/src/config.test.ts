import { McpConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  const token = { HJ_MCP_TOKEN: 'hjk_x' };

  it('defaults to stdio against the embedded planes', () => {
    expect(parseConfig([], token)).toMatchObject({
      transport: 'stdio',
      readOnly: false,
      cpUrl: 'http://localhost:8081',
      publicUrl: 'http://localhost:8080',
      token: 'hjk_x',
    });
  });

  it('reads --http, --port, --host and --read-only', () => {
    expect(
      parseConfig(['--http', '--port', '9000', '--host', '0.0.0.0', '--read-only'], {
        HJ_CP_URL: 'https://cp.example.com/',
      }),
    ).toMatchObject({
      transport: 'http',
      port: 9000,
      host: '0.0.0.0',
      readOnly: true,
      cpUrl: 'https://cp.example.com',
    });
    expect(parseConfig([], { ...token, HJ_MCP_READ_ONLY: 'true' }).readOnly).toBe(true);
  });

  it('refuses what it cannot use, naming it', () => {
    expect(() => parseConfig([], {})).toThrow(/HJ_MCP_TOKEN/);
    expect(() => parseConfig(['--port', 'abc', '--http'], {})).toThrow(/--port/);
    expect(() => parseConfig(['--htp'], token)).toThrow(/unknown option --htp/);
    expect(() => parseConfig([], { ...token, HJ_CP_URL: 'not a url' })).toThrow(McpConfigError);
    expect(() => parseConfig([], { ...token, HJ_CP_URL: 'not a url' })).toThrow(/HJ_CP_URL/);
  });

  it('signs in with an email and password when no token is given', () => {
    expect(parseConfig([], { HJ_MCP_EMAIL: 'a@example.com', HJ_MCP_PASSWORD: 'pw' })).toMatchObject(
      { email: 'a@example.com', password: 'pw' },
    );
  });
});
