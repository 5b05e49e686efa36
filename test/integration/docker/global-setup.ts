/**
 * vitest globalSetup for the Docker provider's integration tests: one private podman socket and
 * Caddy for the whole run, handed to the tests through `inject('dockerServices')`. Test files
 * also work without it (they start their own, see harness.ts).
 */
import type { TestProject } from 'vitest/node';
import { startServices, stopServices, type DockerServices } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerServices: DockerServices | undefined;
  }
}

let started: DockerServices | undefined;

export async function setup(project: TestProject): Promise<void> {
  started = await startServices();
  project.provide('dockerServices', started);
}

export async function teardown(): Promise<void> {
  if (started) await stopServices(started);
  started = undefined;
}
