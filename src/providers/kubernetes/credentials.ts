/**
 * What authenticates a request to the API server, asked for before every request: a fixed
 * credential from the kubeconfig or flags, or one an exec plugin gives and renews
 * (exec-credential.ts). After a 401 the client asks for a renewal once, then tries once more.
 */
import type { ClusterConnection } from './kubeconfig.js';

export interface Credential {
  token?: string;
  basic?: { username: string; password: string };
  /** Client certificate and key (PEM). */
  cert?: Buffer;
  key?: Buffer;
}

export interface CredentialSource {
  /** The credential for the next request. */
  get(): Promise<Credential>;
  /**
   * The API answered 401 to a request made with `used`: gets a new credential when this source
   * can. True when the request is worth sending once more.
   */
  renew(used: Credential): Promise<boolean>;
}

/** The kubeconfig's or the flags' own credential: nothing to renew. */
export function fixedCredentials(connection: ClusterConnection): CredentialSource {
  const credential: Credential = {
    ...(connection.token ? { token: connection.token } : {}),
    ...(connection.basic ? { basic: connection.basic } : {}),
    ...(connection.cert && connection.key ? { cert: connection.cert, key: connection.key } : {}),
  };
  return { get: async () => credential, renew: async () => false };
}
