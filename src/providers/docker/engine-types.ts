/**
 * The shapes of the Engine API requests and answers the provider uses (a subset of each object:
 * what Docker 20.10+ and podman 4 both send).
 */

export interface EngineCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Statuses handed back instead of thrown (404 for lookups, 304 for start/stop). */
  allow?: number[];
  /** A write that may be sent again after an answer that got lost (delete, start, tag). */
  idempotent?: boolean;
  /** The API version in the path, when not the Docker API's (podman's own API: `v4.0.0`). */
  apiVersion?: string;
  what: string;
}

/** A network as podman's own API lists it (`GET /libpod/networks/json`). */
export interface LibpodNetwork {
  name: string;
  id: string;
  created?: string;
  labels?: Record<string, string> | null;
}

export interface EngineResponse<T> {
  status: number;
  body: T;
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Created: number;
  State: string;
  Labels: Record<string, string> | null;
  Ports?: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  State: { Status: string; Running: boolean; ExitCode: number; Error?: string };
  Config: { Labels: Record<string, string> | null; Image: string };
  NetworkSettings: { Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null };
}

export interface NetworkInspect {
  Id: string;
  Name: string;
  Created: string;
  Labels: Record<string, string> | null;
  Containers?: Record<string, unknown> | null;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  Created: string;
  Config: { Labels: Record<string, string> | null } | null;
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
  Created: number;
  Labels: Record<string, string> | null;
}

export interface VolumeSummary {
  Name: string;
  Labels: Record<string, string> | null;
}
