/**
 * `DOCKER_HOST` → where engine requests go: a unix socket, plain tcp, https, or an ssh tunnel.
 */
import { ConfigError } from '../../core/errors.js';
import type { Endpoint } from './node-http.js';
import { parseSshUrl, SshAgent } from './ssh-tunnel.js';

export function endpointFromDockerHost(dockerHost: string, options: { sshCommand?: string; childEnv?: Record<string, string> } = {}): Endpoint {
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new ConfigError(`invalid settings: --docker-host: "${dockerHost}" needs an absolute socket path`);
    return { socketPath, hostHeader: 'docker', display: dockerHost };
  }
  if (dockerHost.startsWith('tcp://') || dockerHost.startsWith('http://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 2375), hostHeader: url.host, display: `tcp://${url.host}` };
  }
  if (dockerHost.startsWith('https://')) {
    const url = new URL(dockerHost);
    return { host: url.hostname, port: Number(url.port || 2376), tls: true, hostHeader: url.host, display: `https://${url.host}` };
  }
  if (dockerHost.startsWith('ssh://')) {
    const target = parseSshUrl(dockerHost);
    const display = `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
    return { agent: new SshAgent(target, options.sshCommand, options.childEnv), host: 'docker', port: 80, hostHeader: 'docker', display };
  }
  throw new ConfigError(`invalid settings: --docker-host: "${dockerHost}" is not supported`, {
    hint: 'use unix:///path/docker.sock, tcp://host:port or ssh://user@host',
  });
}
