import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { endpointFromAdminUrl } from '../../../src/providers/docker/caddy-admin.js';
import { demuxLogs, endpointFromDockerHost } from '../../../src/providers/docker/engine.js';
import { parseSshUrl, SshAgent, sshArguments } from '../../../src/providers/docker/ssh-tunnel.js';

describe('DOCKER_HOST', () => {
  it.each([
    ['unix:///var/run/docker.sock', { socketPath: '/var/run/docker.sock', display: 'unix:///var/run/docker.sock' }],
    ['tcp://10.0.0.5:2375', { host: '10.0.0.5', port: 2375, display: 'tcp://10.0.0.5:2375' }],
    ['tcp://docker.internal', { host: 'docker.internal', port: 2375 }],
    ['tcp://[::1]:2375', { host: '::1', port: 2375 }],
    ['https://docker.internal:2376', { host: 'docker.internal', port: 2376, tls: true }],
  ])('%s', (value, expected) => {
    expect(endpointFromDockerHost(value)).toMatchObject(expected);
  });

  it('tunnels ssh:// through an agent and never shows more than user@host:port', () => {
    const endpoint = endpointFromDockerHost('ssh://deploy@box.example:2222');
    expect(endpoint.agent).toBeInstanceOf(SshAgent);
    expect(endpoint.display).toBe('ssh://deploy@box.example:2222');
  });

  it.each(['npipe:////./pipe/docker_engine', 'unix://relative.sock', 'docker.sock'])('refuses %s', (value) => {
    expect(() => endpointFromDockerHost(value)).toThrow(ConfigError);
  });
});

describe('ssh:// URLs', () => {
  it('become the arguments the docker CLI uses, plus BatchMode', () => {
    expect(sshArguments(parseSshUrl('ssh://deploy@box.example:2222'))).toEqual([
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T', '-l', 'deploy', '-p', '2222', '--', 'box.example', 'docker', 'system', 'dial-stdio',
    ]);
    expect(sshArguments(parseSshUrl('ssh://box.example'))).toEqual(['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T', '--', 'box.example', 'docker', 'system', 'dial-stdio']);
  });

  it('pass a socket path on to the remote docker', () => {
    expect(sshArguments(parseSshUrl('ssh://me@box/run/user/1000/podman/podman.sock')).slice(-5)).toEqual([
      'box', 'docker', '--host=unix:///run/user/1000/podman/podman.sock', 'system', 'dial-stdio',
    ]);
  });

  it.each([
    ['ssh://me:secret@box', /must not carry a password/],
    ['ssh://box?x=1', /no query or fragment/],
    ['ssh://box#frag', /no query or fragment/],
  ])('refuses %s', (url, message) => {
    expect(() => parseSshUrl(url)).toThrow(message);
  });

  it('keeps a host that looks like an option after --', () => {
    const args = sshArguments({ host: '-oProxyCommand=evil' });
    expect(args.indexOf('--')).toBe(args.indexOf('-oProxyCommand=evil') - 1);
  });
});

describe('CADDY_ADMIN', () => {
  it.each([
    ['http://localhost:2019', { host: 'localhost', port: 2019, hostHeader: 'localhost:2019', tls: false }],
    ['http://127.0.0.1:2999/', { host: '127.0.0.1', port: 2999, hostHeader: '127.0.0.1:2999' }],
    ['unix//run/caddy/admin.sock', { socketPath: '/run/caddy/admin.sock', hostHeader: 'localhost' }],
    ['unix:///run/caddy/admin.sock', { socketPath: '/run/caddy/admin.sock' }],
  ])('%s', (value, expected) => {
    expect(endpointFromAdminUrl(value)).toMatchObject({ ...expected, agent: false });
  });

  it('refuses what is not an admin address', () => {
    expect(() => endpointFromAdminUrl('localhost:2019')).toThrow(ConfigError);
    expect(() => endpointFromAdminUrl('ftp://x')).toThrow(/must be http/);
  });
});

describe('container logs', () => {
  function frame(stream: number, text: string): Buffer {
    const payload = Buffer.from(text);
    const head = Buffer.alloc(8);
    head[0] = stream;
    head.writeUInt32BE(payload.length, 4);
    return Buffer.concat([head, payload]);
  }

  it('joins stdout and stderr frames in order', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'listening\n'), frame(2, 'boom\n'), frame(1, 'bye\n')]))).toBe('listening\nboom\nbye\n');
  });

  it('reads text that is not framed (a TTY container) as is', () => {
    expect(demuxLogs(Buffer.from('plain output\n'))).toBe('plain output\n');
    expect(demuxLogs(Buffer.alloc(0))).toBe('');
  });
});
