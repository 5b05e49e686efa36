/**
 * Where the two rack generations answer differently: v2 (convox/rack, AWS: CloudFormation stacks,
 * DynamoDB items, env in S3) and v3 (convox/convox, Kubernetes: namespaces, CRDs, atoms). Each
 * rule names the source it follows; README.md lists them all.
 */
import { formationParameters } from './scale.js';
import { formatEnvText, parseEnvText, type AppRecord, type ReleaseRecord } from './state.js';

export type Generation = '2' | '3';

export interface RackError {
  status: number;
  error: string;
}

export interface GenerationRules {
  generation: Generation;
  /** Status of an app right after `POST /apps` (v2 `CREATE_IN_PROGRESS` → `creating`; v3 atom `Pending` → `updating`). */
  createStatus: string;
  /** Status while a failed creation unwinds, and the one it ends in. */
  createFailure: { during: string; after: string };
  /** Name checks of `AppCreate`, or undefined when the name is fine. */
  validateName(name: string, rackName: string): RackError | undefined;
  /** `POST /apps` of a name in use. */
  appExists(name: string): RackError;
  releaseNotFound(id: string): RackError;
  buildNotFound(id: string): RackError;
  /** The env a release list item carries. */
  listedEnv(release: ReleaseRecord): string;
  /** The env `GET /apps/{app}/releases/{id}` answers. */
  fetchedEnv(release: ReleaseRecord): string;
  /** Description of an env release: v2 always `env <diff>`, v3 only when the diff is not empty. */
  envDescription(diff: string): string | undefined;
  /** A promotion refused after the status check (empty manifest, older release). */
  promoteRefused(message: string): RackError;
  /** Whether `App.Release` moves when the promotion starts (v3) or when the update ends (v2). */
  releaseMovesAtPromote: boolean;
  /** Whether error bodies follow `Accept: application/json` (v3 stdapi) or are always text (v2). */
  jsonErrors: boolean;
  /** `DELETE /apps/{name}` of a locked app. */
  deleteLocked(name: string, rackName: string): RackError;
  /** `DELETE /apps/{name}` of an app already being deleted, when the rack refuses it. */
  deleteWhileDeleting(name: string, rackName: string): RackError | undefined;
  /** A write that needs the app's storage while the app is still being created. */
  storageMissing(app: AppRecord): RackError | undefined;
  /** `ObjectStore` for an app that does not exist. */
  objectStoreWithoutApp(name: string, rackName: string): RackError | undefined;
  /** `parameters` of a new app. */
  parameters(rackName: string): Record<string, string>;
  router(domain: string): string;
  /** Release and build ids as the rack looks them up (v3 stores CRD names lower-case). */
  sameId(a: string, b: string): boolean;
  /** Status `BuildCreate` answers with (v2 the saved struct, v3 after the build pod started). */
  buildCreatedStatus: 'created' | 'running';
  /** `ServiceUpdate` of a service the app does not run (v2: no `<Service>Formation` parameter; v3: no Deployment). */
  serviceNotFound(name: string): RackError;
  /** `ProcessList` for an app that does not exist (v2: its stack's resources; v3: pods of a namespace, none). */
  processesWithoutApp(name: string, rackName: string): RackError | undefined;
}

const v2: GenerationRules = {
  generation: '2',
  createStatus: 'creating',
  createFailure: { during: 'rollback', after: 'failed' },
  validateName(name, rackName) {
    // provider/aws/apps.go validateAppName: all plain errors, so 500.
    if (name.trim() === rackName.trim()) return { status: 500, error: 'App name cannot be same as Rack name' };
    for (const ch of name) {
      if (/\p{Lu}/u.test(ch)) return { status: 500, error: 'App name cannot contain Uppercase characters' };
      if (!/[\p{L}\p{N}_-]/u.test(ch)) return { status: 500, error: 'App name can only contain lowercase letters, numbers, hyphens and underscores' };
    }
    // CloudFormation's own rule for the stack name `<rack>-<app>` (at most 128 characters).
    const stack = `${rackName}-${name}`;
    if (stack.length > 128 || !/^[a-zA-Z][-a-zA-Z0-9]*$/.test(stack)) {
      return { status: 500, error: `ValidationError: 1 validation error detected: Value '${stack}' at 'stackName' failed to satisfy constraint` };
    }
    return undefined;
  },
  appExists: (name) => ({ status: 500, error: `app already exists: ${name}` }),
  releaseNotFound: (id) => ({ status: 404, error: `release not found: ${id}` }),
  buildNotFound: (id) => ({ status: 404, error: `build not found: ${id}` }),
  // releaseFromItem never sets Env: only ReleaseGet reads it from S3 and normalises it.
  listedEnv: () => '',
  fetchedEnv: (r) => formatEnvText(parseEnvText(r.env)),
  envDescription: (diff) => `env ${diff}`,
  promoteRefused: (message) => ({ status: 500, error: message }),
  releaseMovesAtPromote: false,
  jsonErrors: false,
  deleteLocked: (name, rackName) => ({ status: 500, error: `ValidationError: Stack [${rackName}-${name}] cannot be deleted while TerminationProtection is enabled` }),
  deleteWhileDeleting: () => undefined, // DeleteStack of a stack being deleted is accepted
  storageMissing: (app) => (app.status === 'creating' ? { status: 500, error: 'resource not found: Settings' } : undefined),
  objectStoreWithoutApp: (name, rackName) => ({ status: 500, error: `ValidationError: Stack with id ${rackName}-${name} does not exist` }),
  parameters: (rackName) => ({ LogBucket: '', LogDriver: 'CloudWatch', LogRetention: '7', Rack: rackName, SyslogDestination: '', SyslogFormat: 'rfc5424' }),
  router: () => '',
  sameId: (a, b) => a === b,
  buildCreatedStatus: 'created',
  serviceNotFound: (name) => ({ status: 500, error: `could not read formation for service: ${name}` }),
  processesWithoutApp: (name, rackName) => ({ status: 500, error: `ValidationError: Stack with id ${rackName}-${name} does not exist` }),
};

const v3: GenerationRules = {
  generation: '3',
  createStatus: 'updating',
  createFailure: { during: 'rollback', after: 'running' },
  validateName(name, rackName) {
    if (name === 'rack' || name === 'system') return { status: 400, error: 'app name is reserved' };
    // The namespace `<rack>-<app>`: the API server's refusal comes back as a 500.
    const namespace = `${rackName}-${name}`;
    if (namespace.length > 63) {
      return { status: 500, error: `Namespace "${namespace}" is invalid: metadata.name: Invalid value: "${namespace}": must be no more than 63 characters` };
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
      return { status: 500, error: `Namespace "${namespace}" is invalid: metadata.name: Invalid value: "${namespace}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'` };
    }
    return undefined;
  },
  appExists: (name) => ({ status: 409, error: `app already exists: ${name}` }),
  // CRD lookups: the Kubernetes not-found error is not an stdapi error, so 500.
  releaseNotFound: (id) => ({ status: 500, error: `releases.convox.com "${id.toLowerCase()}" not found` }),
  buildNotFound: (id) => ({ status: 500, error: `builds.convox.com "${id.toLowerCase()}" not found` }),
  listedEnv: (r) => r.env,
  fetchedEnv: (r) => r.env,
  envDescription: (diff) => (diff ? `env ${diff}` : undefined),
  promoteRefused: (message) => ({ status: 400, error: message }),
  releaseMovesAtPromote: true,
  jsonErrors: true,
  deleteLocked: (name) => ({ status: 409, error: `app is locked: ${name}` }),
  deleteWhileDeleting: (name, rackName) => ({
    status: 500,
    error: `Operation cannot be fulfilled on namespaces "${rackName}-${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`,
  }),
  storageMissing: () => undefined,
  objectStoreWithoutApp: () => undefined, // objects are files under <storage>/objects/<app>/: no app check
  parameters: () => ({}),
  router: (domain) => `router.${domain}`,
  sameId: (a, b) => a.toLowerCase() === b.toLowerCase(),
  buildCreatedStatus: 'running',
  // GetDeploymentFromInformer falls back to the API server, whose not-found is not an stdapi error.
  serviceNotFound: (name) => ({ status: 500, error: `deployments.apps "${name}" not found` }),
  processesWithoutApp: () => undefined, // pods listed by label in a namespace that is not there: none
};

export function rulesFor(generation: Generation): GenerationRules {
  return generation === '2' ? v2 : v3;
}

export function appJson(app: AppRecord, rules: GenerationRules, domain: string): Record<string, unknown> {
  return {
    generation: app.generation,
    locked: app.locked,
    name: app.name,
    release: app.release,
    router: rules.router(domain),
    status: app.status,
    // v2: every stack parameter, the services' `<Service>Formation` included; v3: the app's own.
    parameters: rules.generation === '2' ? formationParameters(app) : app.parameters,
  };
}

export function releaseJson(r: ReleaseRecord, env: string): Record<string, unknown> {
  return { id: r.id, app: r.app, build: r.build, env, manifest: r.manifest, description: r.description, created: r.created };
}
